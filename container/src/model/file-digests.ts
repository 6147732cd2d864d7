import { createHash } from 'node:crypto';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { ModelIntegrityError } from './errors';

/** SHA-256 (lowercase hex) of each model file, by path relative to the model directory. */
export type FileDigests = Readonly<Record<string, string>>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Checks one file read from `directory` against the digests its metadata recorded; throws a
 * ModelIntegrityError naming the file when it has no recorded digest or a different one.
 */
export function verifyFile(
  directory: string,
  path: string,
  bytes: Uint8Array,
  expected: FileDigests,
): void {
  const recorded = Object.hasOwn(expected, path) ? expected[path] : undefined;
  if (recorded === undefined) {
    throw new ModelIntegrityError(
      `${directory}${path}: no SHA-256 recorded for this file in the version's metadata; not loaded`,
    );
  }
  const actual = sha256Hex(bytes);
  if (actual !== recorded) {
    throw new ModelIntegrityError(
      `${directory}${path}: SHA-256 ${actual} does not match ${recorded} recorded in the version's metadata; the file was changed after the version was written, not loaded`,
    );
  }
}

/**
 * The digests a version's metadata recorded. A version registered before digests were recorded
 * has none: its weights cannot be verified, so this refuses it, naming the version and the way
 * out. `url` is the version directory, for the message.
 */
export function recordedDigests(metadata: ModelMetadata, url: string): FileDigests {
  if (metadata.sha256 === undefined) {
    throw new ModelIntegrityError(
      `model ${metadata.name}@${metadata.version} (${url}) records no SHA-256 of its files (registered before hashes were recorded), so its weights cannot be verified and it is not loaded; retrain (gbi retrain) to register a verified version`,
    );
  }
  return metadata.sha256;
}
