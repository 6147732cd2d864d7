import { forbiddenReason, RESTORE_OPS, SAVE_OPS } from './forbidden-ops';
import { GraphNode, inputNode, MetaGraphSummary, SavedModelGraph } from './saved-model-graph';

/** A node of a SavedModel that holds an op a model must not hold, and why. */
export interface OpViolation {
  readonly op: string;
  readonly node: string;
  /** The library function the node is in; undefined for a node of the graph itself. */
  readonly function?: string;
  readonly tags: readonly string[];
  readonly reason: string;
}

/** Where nodes run from: graph nodes by name, library functions by name. */
interface Reach {
  readonly nodes: Set<string>;
  readonly functions: Set<string>;
}

/** The functions a node calls: its function attributes, and its op when that is a function. */
function callsOf(node: GraphNode, meta: MetaGraphSummary): string[] {
  return [...node.functionAttrs, ...(meta.functions.has(node.op) ? [node.op] : [])];
}

/**
 * Every graph node and library function that running `roots` (graph node names) can execute:
 * the roots' inputs and control inputs, transitively, and every function any of them calls,
 * whole, with the functions those call. Bounded by the graph's size: each node and function is
 * visited once.
 */
function reachFrom(meta: MetaGraphSummary, roots: readonly string[]): Reach {
  const byName = new Map(meta.nodes.map((node) => [node.name, node]));
  const reach: Reach = { nodes: new Set(), functions: new Set() };
  const pendingNodes = [...roots];
  const pendingFunctions: string[] = [];
  while (pendingNodes.length > 0) {
    const node = byName.get(pendingNodes.pop()!);
    if (node === undefined || reach.nodes.has(node.name)) continue;
    reach.nodes.add(node.name);
    pendingNodes.push(...node.inputs);
    pendingFunctions.push(...callsOf(node, meta));
  }
  while (pendingFunctions.length > 0) {
    const name = pendingFunctions.pop()!;
    if (reach.functions.has(name)) continue;
    reach.functions.add(name);
    for (const node of meta.functions.get(name) ?? [])
      pendingFunctions.push(...callsOf(node, meta));
  }
  return reach;
}

const reaches = (reach: Reach, where: { function?: string; node: string }) =>
  where.function === undefined ? reach.nodes.has(where.node) : reach.functions.has(where.function);

function metaGraphViolations(meta: MetaGraphSummary): OpViolation[] {
  // What a loader and a caller can run: every signature (the init op's included) and the init
  // collections. What the saver runs: restore at load, save only if someone fetches it.
  const run = reachFrom(meta, [
    ...Object.values(meta.signatures).flatMap((signature) =>
      [...Object.values(signature.inputs), ...Object.values(signature.outputs)].map((tensor) =>
        inputNode(tensor.name),
      ),
    ),
    ...meta.initNodes,
  ]);
  const restore = reachFrom(meta, meta.saver ? [inputNode(meta.saver.restoreOp)] : []);
  const save = reachFrom(meta, meta.saver ? [inputNode(meta.saver.saveTensor)] : []);
  const located = [
    ...meta.nodes.map((node) => ({ node, function: undefined as string | undefined })),
    ...[...meta.functions].flatMap(([name, nodes]) =>
      nodes.map((node) => ({ node, function: name })),
    ),
  ];
  return located.flatMap(({ node, function: fn }) => {
    const where = { node: node.name, function: fn };
    const base = { op: node.op, node: node.name, tags: meta.tags, ...(fn ? { function: fn } : {}) };
    const reason = forbiddenReason(node.op);
    if (reason !== undefined) return [{ ...base, reason }];
    const checkpoint = RESTORE_OPS.has(node.op)
      ? { path: restore, what: 'restore' }
      : SAVE_OPS.has(node.op)
        ? { path: save, what: 'save' }
        : undefined;
    if (checkpoint === undefined) return [];
    if (reaches(run, where)) {
      return [
        {
          ...base,
          reason: `reads or writes checkpoint files, and a signature or init op can run it (outside the saver's ${checkpoint.what} of the variables)`,
        },
      ];
    }
    if (!reaches(checkpoint.path, where)) {
      return [
        {
          ...base,
          reason: `reads or writes checkpoint files outside the saver's ${checkpoint.what} of the variables`,
        },
      ];
    }
    return [];
  });
}

/**
 * Every node of every meta graph (its graph and its whole function library, called or not) that
 * holds a forbidden op (forbidden-ops.ts). Checkpoint ops are the one exception, as every
 * SavedModel with variables holds them: a restore op is allowed where only the saver's restore
 * op reaches it, a save op where only its save tensor does; one that a signature or init op can
 * reach, or that neither saver path reaches, is a violation.
 */
export function graphOpViolations(graph: SavedModelGraph): OpViolation[] {
  return graph.metaGraphs.flatMap(metaGraphViolations);
}

/** One line naming a violation: op, node, function, meta graph and why. */
export function describeViolation(violation: OpViolation): string {
  const where = violation.function
    ? `node '${violation.node}' of function '${violation.function}'`
    : `graph node '${violation.node}'`;
  return `op ${violation.op} in ${where} (meta graph tags: ${violation.tags.join(',') || 'none'}) ${violation.reason}`;
}
