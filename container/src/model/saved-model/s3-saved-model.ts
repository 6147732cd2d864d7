import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ModelMetadata } from '../../../../lib/contracts/registry';
import { AccessCall, EXAMPLE } from '../../../../lib/contracts/access';
import { modelKeys } from '../../../../lib/contracts/keys';
import { joinKey, parseS3Url } from '../../../../lib/contracts/s3-location';
import { recordedDigests, verifyFile } from '../file-digests';
import type { Predictor } from '../predictor';
import { checkSavedModel, loadSavedModel, savedModelUnavailable } from './load-saved-model';

/**
 * Every file of a SavedModel version, as its metadata's sha256 lists them, each read from the
 * version directory `url` and checked against its recorded SHA-256 before anything parses it.
 */
async function readVerifiedFiles(
  url: string,
  s3: S3Client,
  metadata: ModelMetadata,
): Promise<Map<string, Uint8Array>> {
  const root = parseS3Url(url.endsWith('/') ? url : `${url}/`);
  const digests = recordedDigests(metadata, url);
  const files = new Map<string, Uint8Array>();
  for (const path of Object.keys(digests)) {
    const response = await s3.send(
      new GetObjectCommand({ Bucket: root.bucket, Key: joinKey(root.key, path) }),
    );
    if (!response.Body) throw new Error(`${url}${path}: empty response body`);
    const bytes = await response.Body.transformToByteArray();
    verifyFile(url, path, bytes, digests);
    files.set(path, bytes);
  }
  return files;
}

/**
 * Loads a SavedModel version for scoring: refuses at once where the C library is not the
 * backend, reads and verifies every file against the metadata's digests, checks the graph's ops
 * and signature again (a version written to the bucket by other means than gbi models import
 * gets the same checks), and loads the signature the metadata names.
 */
export async function loadSavedModelPredictor(
  metadata: ModelMetadata,
  url: string,
  s3: S3Client,
): Promise<Predictor> {
  const unavailable = savedModelUnavailable();
  if (unavailable !== undefined) throw new Error(unavailable);
  const spec = metadata.savedModel!;
  const files = await readVerifiedFiles(url, s3, metadata);
  checkSavedModel(files, spec, metadata, url.endsWith('/') ? url : `${url}/`);
  const model = await loadSavedModel(files, spec);
  return { predict: (input) => model.predict(input), dispose: () => model.dispose() };
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [
      {
        s3: 'models',
        key: `${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}variables/variables.index`,
      },
    ],
    why: 'reads every file of a SavedModel version to check its hash before loading it',
  },
];
