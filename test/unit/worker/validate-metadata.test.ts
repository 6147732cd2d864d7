import { ModelResolutionError } from '../../../container/src/infer/errors';
import { inputShape, validateMetadata } from '../../../container/src/model/validate-metadata';
import { DIGIT_LABELS, DIGITS_INPUT } from '../../helpers/worker-model-fixture';

const valid = {
  schemaVersion: 1,
  name: 'digits',
  version: 'v1',
  format: 'layers',
  input: DIGITS_INPUT,
  labels: DIGIT_LABELS,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('validateMetadata', () => {
  it('accepts the digits model metadata and gives its HWC input shape', () => {
    // given / when
    const metadata = validateMetadata(valid, 's3://m/metadata.json');
    // then
    expect(inputShape(metadata)).toEqual([28, 28, 1]);
  });

  it('gives a features model the shape [size]', () => {
    // given / when
    const metadata = validateMetadata(
      { ...valid, input: { kind: 'features', size: 4, names: ['a', 'b', 'c', 'd'] } },
      'x',
    );
    // then
    expect(inputShape(metadata)).toEqual([4]);
  });

  it('names every bad field and the object it came from', () => {
    // given bad channels, a missing format and empty labels
    const bad = { ...valid, format: 'onnx', input: { ...DIGITS_INPUT, channels: 2 }, labels: [] };
    // when
    const validate = () => validateMetadata(bad, 's3://m/v1/metadata.json');
    // then
    expect(validate).toThrow(ModelResolutionError);
    expect(validate).toThrow(
      "s3://m/v1/metadata.json: invalid model metadata: format: expected 'layers', 'graph' or 'saved-model'; input.channels: expected 1 or 3; labels: expected a non-empty array of strings",
    );
  });

  it('rejects feature names that do not match the feature count', () => {
    // given 2 names for 3 features
    const bad = { ...valid, input: { kind: 'features', size: 3, names: ['a', 'b'] } };
    // when / then
    expect(() => validateMetadata(bad, 'x')).toThrow(
      'input.names: expected input.size feature names',
    );
  });

  it('rejects an unknown input kind', () => {
    // given / when / then
    expect(() => validateMetadata({ ...valid, input: { kind: 'audio' } }, 'x')).toThrow(
      `input.kind: expected 'image' or 'features', got "audio"`,
    );
  });

  it('accepts SHA-256 digests of the version files', () => {
    const digest = 'a'.repeat(64);
    const metadata = validateMetadata(
      { ...valid, sha256: { 'model.json': digest, 'weights.bin': digest } },
      'x',
    );
    expect(metadata.sha256).toEqual({ 'model.json': digest, 'weights.bin': digest });
  });

  it('names each malformed digest entry', () => {
    // given digests without model.json, a path out of the version and a short digest
    const bad = { ...valid, sha256: { '../other/weights.bin': 'a'.repeat(64), 'w.bin': 'abc' } };
    // when / then
    expect(() => validateMetadata(bad, 'm.json')).toThrow(
      'm.json: invalid model metadata: sha256: expected an entry for model.json; sha256: "../other/weights.bin" is not a path inside the version; sha256.w.bin: expected 64 lowercase hex digits',
    );
  });
});
