import type { ModelMetadata } from '../../../lib/contracts/registry';
import type { TensorSummary } from '../../../container/src/model/saved-model/saved-model-graph';
import {
  checkServingSignature,
  DEFAULT_SAVED_MODEL_SIGNATURE,
} from '../../../container/src/model/saved-model/serving-signature';

const METADATA: ModelMetadata = {
  schemaVersion: 2,
  name: 'm',
  version: 'v1',
  format: 'saved-model',
  savedModel: DEFAULT_SAVED_MODEL_SIGNATURE,
  input: { kind: 'image', width: 8, height: 6, channels: 3, scale: 1, offset: 0 },
  labels: ['a', 'b'],
  createdAt: '2026-12-07T00:00:00.000Z',
};

/** A one-meta-graph SavedModel whose serving_default maps `input` to `output`. */
function graphWith(input: Partial<TensorSummary>, output: Partial<TensorSummary> = {}) {
  const tensor = (name: string, shape: number[], change: Partial<TensorSummary>) => ({
    name,
    dtype: 'DT_FLOAT',
    shape,
    ...change,
  });
  return {
    metaGraphs: [
      {
        tags: ['serve'],
        nodes: [],
        functions: new Map(),
        initNodes: [],
        signatures: {
          serving_default: {
            inputs: { x: tensor('x:0', [-1, 6, 8, 3], input) },
            outputs: { y: tensor('y:0', [-1, 2], output) },
          },
        },
      },
    ],
  };
}

const check = (graph: ReturnType<typeof graphWith>) => () =>
  checkServingSignature(graph, DEFAULT_SAVED_MODEL_SIGNATURE, METADATA, 'model/');

describe('the SavedModel serving signature check', () => {
  it('accepts [batch, height, width, channels] in and one score per label out', () => {
    expect(check(graphWith({}))).not.toThrow();
  });

  it('accepts free dimensions and an input of unknown rank', () => {
    expect(check(graphWith({ shape: [-1, -1, -1, 3] }))).not.toThrow();
    expect(check(graphWith({ shape: undefined }))).not.toThrow();
  });

  it('refuses a fixed batch dimension: the worker feeds mini-batches of any size', () => {
    expect(check(graphWith({ shape: [1, 6, 8, 3] }))).toThrow(
      "model/: signature 'serving_default': its input x:0 has shape 1x6x8x3; the first dimension must be the free batch dimension",
    );
  });

  it('refuses a dtype other than float32, naming it', () => {
    expect(check(graphWith({ dtype: 'DT_UINT8' }))).toThrow(
      'its input x:0 is DT_UINT8; the pipeline uses DT_FLOAT (float32)',
    );
  });

  it('refuses width and height swapped, naming both shapes', () => {
    expect(check(graphWith({ shape: [-1, 8, 6, 3] }))).toThrow(
      'shape mismatch: its input x:0 is 8x6x3 per record, the metadata declares 6x8x3',
    );
  });

  it('refuses a meta graph with other tags, listing those it has', () => {
    const graph = graphWith({});
    graph.metaGraphs[0].tags = ['train'];
    expect(check(graph)).toThrow('model/: no meta graph tagged serve (its meta graphs: [train])');
  });
});
