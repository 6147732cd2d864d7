import {
  describeViolation,
  graphOpViolations,
} from '../../../container/src/model/saved-model/check-graph-ops';
import { forbiddenReason } from '../../../container/src/model/saved-model/forbidden-ops';
import { missingSavedModelFiles } from '../../../container/src/model/saved-model/saved-model-files';
import type {
  GraphNode,
  MetaGraphSummary,
} from '../../../container/src/model/saved-model/saved-model-graph';

const node = (
  name: string,
  op: string,
  inputs: string[] = [],
  calls: string[] = [],
): GraphNode => ({
  name,
  op,
  inputs,
  functionAttrs: calls,
});

/**
 * A meta graph laid out as tf.saved_model.save writes one: a serving signature calling
 * `serve`, the saver's save and restore calls, and the init op; `extra` adds to it.
 */
function savedModelGraph(extra: {
  nodes?: GraphNode[];
  functions?: [string, GraphNode[]][];
  serve?: GraphNode[];
}): MetaGraphSummary {
  return {
    tags: ['serve'],
    nodes: [
      node('serving_default_x', 'Placeholder'),
      node('kernel', 'VarHandleOp'),
      node(
        'StatefulPartitionedCall',
        'StatefulPartitionedCall',
        ['serving_default_x', 'kernel'],
        ['serve'],
      ),
      node('saver_filename', 'Placeholder'),
      node(
        'StatefulPartitionedCall_1',
        'StatefulPartitionedCall',
        ['saver_filename', 'kernel'],
        ['traced_save'],
      ),
      node(
        'StatefulPartitionedCall_2',
        'StatefulPartitionedCall',
        ['saver_filename', 'kernel'],
        ['traced_restore'],
      ),
      node('NoOp', 'NoOp'),
      ...(extra.nodes ?? []),
    ],
    functions: new Map([
      ['serve', [node('MatMul', 'MatMul'), node('Softmax', 'Softmax'), ...(extra.serve ?? [])]],
      ['traced_save', [node('SaveV2', 'SaveV2'), node('MergeV2Checkpoints', 'MergeV2Checkpoints')]],
      [
        'traced_restore',
        [node('RestoreV2', 'RestoreV2'), node('AssignVariableOp', 'AssignVariableOp')],
      ],
      ...(extra.functions ?? []),
    ]),
    signatures: {
      serving_default: {
        inputs: { x: { name: 'serving_default_x:0', dtype: 'DT_FLOAT', shape: [-1, 4] } },
        outputs: { y: { name: 'StatefulPartitionedCall:0', dtype: 'DT_FLOAT', shape: [-1, 3] } },
      },
      __saved_model_init_op: {
        inputs: {},
        outputs: { __saved_model_init_op: { name: 'NoOp', dtype: 'DT_INVALID' } },
      },
    },
    saver: {
      filenameTensor: 'saver_filename:0',
      saveTensor: 'StatefulPartitionedCall_1:0',
      restoreOp: 'StatefulPartitionedCall_2',
    },
    initNodes: ['NoOp'],
  };
}

const violations = (meta: MetaGraphSummary) =>
  graphOpViolations({ metaGraphs: [meta] }).map((v) => `${v.op}@${v.function ?? ''}/${v.node}`);

describe('the SavedModel op check', () => {
  it('accepts the checkpoint ops of the saver, where only the saver reaches them', () => {
    expect(violations(savedModelGraph({}))).toEqual([]);
  });

  it('refuses a file op in the serving function, naming op, node and function', () => {
    // given ReadFile in the function the signature calls
    const meta = savedModelGraph({ serve: [node('leak/ReadFile', 'ReadFile')] });

    // when checked / then it is named with where it is and why
    const [violation] = graphOpViolations({ metaGraphs: [meta] });
    expect(describeViolation(violation)).toBe(
      "op ReadFile in node 'leak/ReadFile' of function 'serve' (meta graph tags: serve) reads or writes files",
    );
  });

  it('refuses a forbidden op in a function nothing calls, and in a graph node', () => {
    // given WriteFile in an uncalled library function and PyFunc as a node of the graph
    const meta = savedModelGraph({
      functions: [['unused', [node('WriteFile', 'WriteFile')]]],
      nodes: [node('py', 'PyFunc')],
    });

    // when checked / then both are refused: the graph must not hold them at all
    expect(violations(meta).sort()).toEqual(['PyFunc@/py', 'WriteFile@unused/WriteFile']);
  });

  it('refuses the restore function when the serving signature can call it', () => {
    // given the serving function calling the saver's restore function (reading any checkpoint)
    const meta = savedModelGraph({
      serve: [node('sneak', 'StatefulPartitionedCall', [], ['traced_restore'])],
    });

    // when checked / then its RestoreV2 is refused as reachable from a signature
    const found = graphOpViolations({ metaGraphs: [meta] });
    expect(found.map((v) => [v.op, v.function])).toEqual([['RestoreV2', 'traced_restore']]);
    expect(found[0].reason).toMatch(/a signature or init op can run it/);
  });

  it('follows calls by op name and through function attributes, transitively', () => {
    // given serve -> (op named 'helper') -> While body 'loop' -> traced_save
    const meta = savedModelGraph({
      serve: [node('call', 'helper')],
      functions: [
        ['helper', [node('while', 'StatelessWhile', [], ['loop', 'cond'])]],
        ['loop', [node('inner', 'PartitionedCall', [], ['traced_save'])]],
        ['cond', [node('Less', 'Less')]],
      ],
    });

    // when checked / then the save ops, now reachable from serving, are refused
    expect(violations(meta).sort()).toEqual([
      'MergeV2Checkpoints@traced_save/MergeV2Checkpoints',
      'SaveV2@traced_save/SaveV2',
    ]);
  });

  it('refuses checkpoint ops outside the saver paths, and a restore op on the save path', () => {
    const meta = savedModelGraph({
      functions: [
        ['stray', [node('RestoreV2', 'RestoreV2')]],
        ['traced_save', [node('SaveV2', 'SaveV2'), node('RestoreV2', 'RestoreV2')]],
      ],
    });
    expect(violations(meta).sort()).toEqual([
      'RestoreV2@stray/RestoreV2',
      'RestoreV2@traced_save/RestoreV2',
    ]);
  });

  it('refuses checkpoint ops in a graph with no saver', () => {
    const meta = { ...savedModelGraph({}), saver: undefined };
    expect(violations(meta).sort()).toEqual([
      'MergeV2Checkpoints@traced_save/MergeV2Checkpoints',
      'RestoreV2@traced_restore/RestoreV2',
      'SaveV2@traced_save/SaveV2',
    ]);
  });

  it.each([
    ['ReadFile', /files/],
    ['MatchingFiles', /files/],
    ['TFRecordDatasetV2', /tf\.data/],
    ['DatasetFromGraph', /tf\.data/],
    ['WholeFileReaderV2', /files/],
    ['ReaderReadV2', /files/],
    ['WriteScalarSummary', /files/],
    ['InitializeTableFromTextFileV2', /files/],
    ['ImmutableConst', /memory-maps/],
    ['RpcCall', /network/],
    ['CollectiveReduceV2', /network/],
    ['DebugIdentityV2', /network/],
    ['PyFunc', /host/],
    ['PrintV2', /host/],
    ['XlaCallModule', /attribute/],
  ])('lists %s as forbidden', (op, why) => {
    expect(forbiddenReason(op)).toMatch(why);
  });

  it.each([
    'Conv2D',
    'FusedBatchNormV3',
    'ReadVariableOp',
    'StatefulPartitionedCall',
    'StringJoin',
  ])('does not list %s', (op) => {
    expect(forbiddenReason(op)).toBeUndefined();
  });
});

describe('the SavedModel file check', () => {
  it('names every missing variables file, each data shard by number', () => {
    // given a listing with shard 2 of 3 and the index missing
    const paths = new Set([
      'saved_model.pb',
      'variables/variables.data-00000-of-00003',
      'variables/variables.data-00002-of-00003',
    ]);

    // when checked / then the index and shard 2 are named
    expect(missingSavedModelFiles(paths, true)).toEqual([
      'variables/variables.index (the graph has variables)',
      'variables/variables.data-00001-of-00003 (shard 2 of 3)',
    ]);
  });

  it('needs no variables folder for a graph without variables', () => {
    expect(missingSavedModelFiles(new Set(['saved_model.pb']), false)).toEqual([]);
  });
});
