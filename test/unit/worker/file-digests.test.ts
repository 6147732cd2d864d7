import { ModelIntegrityError } from '../../../container/src/model/errors';
import { recordedDigests, sha256Hex, verifyFile } from '../../../container/src/model/file-digests';
import { tinyMetadata } from '../../helpers/train-registry-fixtures';

const DIRECTORY = 's3://models/models/tiny/versions/v1/';
const weights = new Uint8Array([1, 2, 3, 4]);

describe('model file digests', () => {
  it('computes the SHA-256 of the bytes as lowercase hex', () => {
    // the SHA-256 of the empty input, from FIPS 180-4's test vectors
    expect(sha256Hex(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('accepts a file whose digest matches the recorded one', () => {
    expect(() =>
      verifyFile(DIRECTORY, 'weights.bin', weights, { 'weights.bin': sha256Hex(weights) }),
    ).not.toThrow();
  });

  it('refuses a changed file, naming it and both digests', () => {
    // given the digest of the original weights, and weights with one byte changed
    const recorded = { 'weights.bin': sha256Hex(weights) };
    const tampered = new Uint8Array([1, 2, 3, 5]);

    // when verified / then refused with the file's URL
    const verify = () => verifyFile(DIRECTORY, 'weights.bin', tampered, recorded);
    expect(verify).toThrow(ModelIntegrityError);
    expect(verify).toThrow(
      `${DIRECTORY}weights.bin: SHA-256 ${sha256Hex(tampered)} does not match ${recorded['weights.bin']}`,
    );
  });

  it('refuses a file the metadata records no digest for', () => {
    // a weight shard added to model.json after the version was written
    const verify = () =>
      verifyFile(DIRECTORY, 'extra.bin', weights, { 'weights.bin': sha256Hex(weights) });
    expect(verify).toThrow(`${DIRECTORY}extra.bin: no SHA-256 recorded for this file`);
  });

  it('does not take inherited object keys for recorded digests', () => {
    expect(() => verifyFile(DIRECTORY, 'constructor', weights, {})).toThrow(ModelIntegrityError);
  });

  it('refuses a version registered before digests were recorded, saying how to get a verified one', () => {
    const legacy = recordedDigests.bind(undefined, tinyMetadata('tiny', 'v1'), DIRECTORY);
    expect(legacy).toThrow(ModelIntegrityError);
    expect(legacy).toThrow(
      `model tiny@v1 (${DIRECTORY}) records no SHA-256 of its files (registered before hashes were recorded)`,
    );
    expect(legacy).toThrow('retrain (gbi retrain)');
  });
});
