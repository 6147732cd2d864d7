import { join } from 'node:path';
import { loadedNativeBinding } from '../../backend/load-native';

/**
 * What a SavedModel's saved_model.pb holds, as far as checking and running it needs: for each
 * meta graph its tags, its graph's nodes, its function library, its signatures and its saver.
 * Read with the protobuf code generated from TensorFlow's .proto files that tfjs-node ships
 * (dist/proto/api_pb.js, on google-protobuf), the same code tf.node.loadSavedModel reads the
 * signatures with, so no wire format is parsed by hand here.
 */
export interface SavedModelGraph {
  readonly metaGraphs: readonly MetaGraphSummary[];
}

export interface MetaGraphSummary {
  readonly tags: readonly string[];
  /** The nodes of the meta graph's GraphDef. */
  readonly nodes: readonly GraphNode[];
  /** Every function of the GraphDef's library, by name. */
  readonly functions: ReadonlyMap<string, readonly GraphNode[]>;
  readonly signatures: Readonly<Record<string, SignatureSummary>>;
  /** The variables' save and restore entry points, when the graph has variables. */
  readonly saver?: SaverSummary;
  /** Node names of the init-op collections a loader runs (TensorFlow 1 exports). */
  readonly initNodes: readonly string[];
}

export interface GraphNode {
  readonly name: string;
  readonly op: string;
  /** The node names its inputs and control inputs come from ('^a', 'a:1' and 'a:out:0' give 'a'). */
  readonly inputs: readonly string[];
  /** Function names its attributes refer to (the `f` of a PartitionedCall, While's body, ...). */
  readonly functionAttrs: readonly string[];
}

export interface SaverSummary {
  readonly filenameTensor: string;
  readonly saveTensor: string;
  readonly restoreOp: string;
}

export interface TensorSummary {
  /** The graph tensor it names, as `node:index`. */
  readonly name: string;
  /** TensorFlow's DataType name: DT_FLOAT, DT_INT32, ... */
  readonly dtype: string;
  /** Dimensions, -1 where free; undefined when even the rank is unknown. */
  readonly shape?: readonly number[];
}

export interface SignatureSummary {
  readonly inputs: Readonly<Record<string, TensorSummary>>;
  readonly outputs: Readonly<Record<string, TensorSummary>>;
}

/** The TensorFlow signature every SavedModel loader runs at load, not a serving signature. */
export const INIT_OP_SIGNATURE = '__saved_model_init_op';

/** Collections of TensorFlow 1 exports naming ops the loader runs after the restore. */
const INIT_COLLECTIONS = ['saved_model_main_op', 'legacy_init_op'];

/* The generated message classes, typed as far as read here. */
interface Message {
  [getter: string]: (...args: never[]) => unknown;
}
interface ProtoMap<V> {
  entries(): Iterable<[string, V]>;
}
interface ApiProto {
  SavedModel: { deserializeBinary(bytes: Uint8Array): Message };
  DataType: Readonly<Record<string, number>>;
}

/** tfjs-node's generated SavedModel protobuf code, from the binding this process loaded. */
function apiProto(): ApiProto {
  const binding = loadedNativeBinding();
  if (binding === undefined) {
    throw new Error(
      'reading a SavedModel needs the native TensorFlow binding (tfjs-node), which is not loaded in this process',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(binding.distDir, 'proto', 'api_pb.js')) as ApiProto;
}

const call = <T>(message: Message, getter: string): T => (message[getter] as () => T)();

/** 'node', '^node', 'node:1' and, inside functions, 'node:output:0' all name the node 'node'. */
export const inputNode = (input: string) => input.replace(/^\^/, '').split(':')[0];

function nodeOf(node: Message): GraphNode {
  const functionAttrs: string[] = [];
  for (const [, attr] of call<ProtoMap<Message>>(node, 'getAttrMap').entries()) {
    const single = call<Message | undefined>(attr, 'getFunc');
    if (single !== undefined) functionAttrs.push(call<string>(single, 'getName'));
    const list = call<Message | undefined>(attr, 'getList');
    if (list !== undefined) {
      functionAttrs.push(
        ...call<Message[]>(list, 'getFuncList').map((f) => call<string>(f, 'getName')),
      );
    }
  }
  return {
    name: call<string>(node, 'getName'),
    op: call<string>(node, 'getOp'),
    inputs: call<string[]>(node, 'getInputList').map(inputNode),
    functionAttrs: functionAttrs.filter((name) => name !== ''),
  };
}

function tensorOf(info: Message, dtypes: ApiProto['DataType']): TensorSummary {
  const dtypeValue = call<number>(info, 'getDtype');
  const shape = call<Message | undefined>(info, 'getTensorShape');
  const known = shape !== undefined && !call<boolean>(shape, 'getUnknownRank');
  return {
    name: call<string>(info, 'getName'),
    dtype: Object.keys(dtypes).find((key) => dtypes[key] === dtypeValue) ?? `DT_${dtypeValue}`,
    ...(known
      ? { shape: call<Message[]>(shape, 'getDimList').map((d) => Number(call(d, 'getSize'))) }
      : {}),
  };
}

function tensorsOf(map: ProtoMap<Message>, dtypes: ApiProto['DataType']) {
  return Object.fromEntries([...map.entries()].map(([key, info]) => [key, tensorOf(info, dtypes)]));
}

function metaGraphOf(metaGraph: Message, dtypes: ApiProto['DataType']): MetaGraphSummary {
  const info = call<Message | undefined>(metaGraph, 'getMetaInfoDef');
  const graph = call<Message | undefined>(metaGraph, 'getGraphDef');
  const library = graph && call<Message | undefined>(graph, 'getLibrary');
  const functions = new Map<string, GraphNode[]>();
  for (const fn of library ? call<Message[]>(library, 'getFunctionList') : []) {
    const signature = call<Message | undefined>(fn, 'getSignature');
    functions.set(
      signature ? call<string>(signature, 'getName') : '',
      call<Message[]>(fn, 'getNodeDefList').map(nodeOf),
    );
  }
  const signatures = Object.fromEntries(
    [...call<ProtoMap<Message>>(metaGraph, 'getSignatureDefMap').entries()].map(([key, def]) => [
      key,
      {
        inputs: tensorsOf(call<ProtoMap<Message>>(def, 'getInputsMap'), dtypes),
        outputs: tensorsOf(call<ProtoMap<Message>>(def, 'getOutputsMap'), dtypes),
      },
    ]),
  );
  const saverDef = call<Message | undefined>(metaGraph, 'getSaverDef');
  const saver: SaverSummary | undefined = saverDef && {
    filenameTensor: call<string>(saverDef, 'getFilenameTensorName'),
    saveTensor: call<string>(saverDef, 'getSaveTensorName'),
    restoreOp: call<string>(saverDef, 'getRestoreOpName'),
  };
  const collections = new Map(call<ProtoMap<Message>>(metaGraph, 'getCollectionDefMap').entries());
  const initNodes = INIT_COLLECTIONS.flatMap((key) => {
    const nodeList =
      collections.get(key) && call<Message | undefined>(collections.get(key)!, 'getNodeList');
    return nodeList ? call<string[]>(nodeList, 'getValueList').map(inputNode) : [];
  });
  return {
    tags: info ? call<string[]>(info, 'getTagsList') : [],
    nodes: graph ? call<Message[]>(graph, 'getNodeList').map(nodeOf) : [],
    functions,
    signatures,
    ...(saver && saver.restoreOp !== '' ? { saver } : {}),
    initNodes,
  };
}

/**
 * The meta graphs of saved_model.pb's bytes; throws naming `where` when they are not a
 * SavedModel protocol buffer.
 */
export function readSavedModelGraph(bytes: Uint8Array, where: string): SavedModelGraph {
  const api = apiProto();
  let message: Message;
  try {
    message = api.SavedModel.deserializeBinary(bytes);
  } catch (error) {
    throw new Error(`${where}: not a SavedModel protocol buffer (${(error as Error).message})`, {
      cause: error,
    });
  }
  const metaGraphs = call<Message[]>(message, 'getMetaGraphsList').map((m) =>
    metaGraphOf(m, api.DataType),
  );
  if (metaGraphs.length === 0) throw new Error(`${where}: holds no meta graph`);
  return { metaGraphs };
}
