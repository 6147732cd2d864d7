import {
  checkShardSizes,
  modelFormat,
  ModelJson,
  parseModelJson,
  weightPaths,
} from '../../../scripts/cli/import/model-json';

const json = (groups: ModelJson['weightsManifest'], format?: string): ModelJson => ({
  ...(format ? { format } : {}),
  modelTopology: {},
  weightsManifest: groups,
});

describe('model.json checks of gbi models import', () => {
  it('accepts shards holding exactly the declared bytes, quantized weights at their stored size', () => {
    // given a group of a float32 [2, 3] weight and a uint8-quantized [10] one, split in two shards
    const model = json([
      {
        paths: ['a.bin', 'b.bin'],
        weights: [
          { name: 'w', shape: [2, 3], dtype: 'float32' },
          { name: 'q', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8' } },
        ],
      },
    ]);
    // when checked against shards of 20 and 14 bytes / then nothing is wrong
    expect(() =>
      checkShardSizes(
        model,
        new Map([
          ['a.bin', 20],
          ['b.bin', 14],
        ]),
        'm/model.json',
      ),
    ).not.toThrow();
  });

  it('names the group, each shard and both sizes when the bytes differ', () => {
    // given one float32 [4] weight in a 12-byte shard
    const model = json([
      { paths: ['s.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] },
    ]);
    // when / then
    expect(() => checkShardSizes(model, new Map([['s.bin', 12]]), 'm/model.json')).toThrow(
      'm/model.json: weight group 1 declares 16 bytes of weights, its shards hold 12 (s.bin: 12 bytes)',
    );
  });

  it('refuses a string weight and an unknown quantization, naming the weight', () => {
    // given / when / then
    const check = (entry: ModelJson['weightsManifest']) => () =>
      checkShardSizes(json(entry), new Map([['s.bin', 4]]), 'm');
    expect(
      check([{ paths: ['s.bin'], weights: [{ name: 'vocab', shape: [1], dtype: 'string' }] }]),
    ).toThrow("weight 'vocab' has unsupported dtype 'string' (supported: float32, int32, bool)");
    expect(
      check([
        {
          paths: ['s.bin'],
          weights: [{ name: 'q', shape: [4], dtype: 'float32', quantization: { dtype: 'int4' } }],
        },
      ]),
    ).toThrow("weight 'q' has unsupported quantization dtype 'int4'");
  });

  it('refuses a weight path outside the model directory', () => {
    // given / when / then
    expect(() =>
      weightPaths(json([{ paths: ['../other/w.bin'], weights: [] }]), 'm/model.json'),
    ).toThrow('names "../other/w.bin", not a file inside the model directory');
  });

  it('maps the converter formats and refuses others', () => {
    // given / when / then
    expect(modelFormat(json([], 'graph-model'), 'm')).toBe('graph');
    expect(modelFormat(json([]), 'm')).toBe('layers');
    expect(() => modelFormat(json([], 'tfjs-saved-model'), 'm')).toThrow(
      "format 'tfjs-saved-model' is not supported",
    );
  });

  it('refuses JSON that is not a TensorFlow.js model', () => {
    // given / when / then
    expect(() => parseModelJson(Buffer.from('{"name":"x"}'), 'm/model.json')).toThrow(
      'm/model.json: no modelTopology',
    );
    expect(() => parseModelJson(Buffer.from('{'), 'm/model.json')).toThrow(
      'm/model.json: not JSON',
    );
  });
});
