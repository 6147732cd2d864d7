import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { getExistingObject } from '../../../lib/contracts/s3-key-presence';
import { joinKey, parseS3Url, S3Location } from '../../../lib/contracts/s3-location';
import { ModelFileExistsError, ModelIntegrityError } from './errors';
import { FileDigests, sha256Hex, verifyFile } from './file-digests';
import { AccessCall, EXAMPLE, IF_NONE_MATCH } from '../../../lib/contracts/access';
import { modelKeys } from '../../../lib/contracts/keys';

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/**
 * tf.io IOHandlers for `s3://bucket/prefix/` model directories laid out as the tfjs converter
 * and `model.save()` write them: `model.json` plus the weight shards it names. They work for
 * both layers and graph models because they only move artifacts; tf.loadLayersModel or
 * tf.loadGraphModel decides how to read them.
 */

/**
 * Loads a model directory, checking every file against the SHA-256 digests its version's
 * metadata recorded before tfjs sees it. `'unverified'` skips the check; only a caller that has
 * decided to trust a version without recorded digests passes it (see docs/operations.md).
 */
export function s3ModelReader(
  url: string,
  s3: S3Client,
  digests: FileDigests | 'unverified',
): tf.io.IOHandler {
  const root = directory(url);
  return { load: () => loadArtifacts(s3, root, digests) };
}

/** An IOHandler that saves a model directory once and remembers each file's SHA-256. */
export interface S3ModelWriter extends tf.io.IOHandler {
  /** SHA-256 of every file the save wrote, by path in the directory; empty before a save. */
  readonly digests: FileDigests;
}

/**
 * Saves a model directory by conditional creates (If-None-Match: *): an existing file is never
 * replaced, and the save fails with ModelFileExistsError instead. Weights go first and model.json
 * last, so a reader that sees model.json finds complete weights.
 */
export function s3ModelWriter(url: string, s3: S3Client): S3ModelWriter {
  const root = directory(url);
  const digests: Record<string, string> = {};
  return {
    digests,
    save: (artifacts) => saveArtifacts(s3, root, artifacts, digests),
  };
}

function directory(url: string): S3Location {
  return parseS3Url(url.endsWith('/') ? url : `${url}/`);
}

const urlOf = (location: S3Location) => `s3://${location.bucket}/${location.key}`;

async function getBytes(s3: S3Client, location: S3Location): Promise<Uint8Array> {
  const response = await getExistingObject(s3, { Bucket: location.bucket, Key: location.key });
  if (!response.Body) throw new Error(`${urlOf(location)}: empty response body`);
  return response.Body.transformToByteArray();
}

async function loadArtifacts(
  s3: S3Client,
  root: S3Location,
  digests: FileDigests | 'unverified',
): Promise<tf.io.ModelArtifacts> {
  const read = async (path: string) => {
    const bytes = await getBytes(s3, { bucket: root.bucket, key: joinKey(root.key, path) });
    if (digests !== 'unverified') verifyFile(urlOf(root), path, bytes, digests);
    return bytes;
  };
  let jsonBytes: Uint8Array;
  try {
    jsonBytes = await read(MODEL_JSON);
  } catch (error) {
    if (error instanceof ModelIntegrityError) throw error;
    throw new Error(
      `cannot load model from ${urlOf(root)}: ${MODEL_JSON} unreadable (${(error as Error).message})`,
      { cause: error },
    );
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(Buffer.from(jsonBytes).toString('utf8'));
  } catch (error) {
    throw new Error(
      `cannot load model from ${urlOf(root)}: ${MODEL_JSON} is not JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const path of group.paths) {
        const bytes = await read(path);
        buffers.push(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        );
      }
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

async function createOnce(
  s3: S3Client,
  location: S3Location,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        Body: body,
        ContentType: contentType,
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    // 412: the key exists; 409: a concurrent conditional write to it is in progress.
    if (status === 412 || status === 409) throw new ModelFileExistsError(urlOf(location));
    throw error;
  }
}

async function saveArtifacts(
  s3: S3Client,
  root: S3Location,
  artifacts: tf.io.ModelArtifacts,
  digests: Record<string, string>,
): Promise<tf.io.SaveResult> {
  const weightData = artifacts.weightData
    ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
    : new ArrayBuffer(0);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    signature: artifacts.signature,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    modelInitializer: artifacts.modelInitializer,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  const files: [string, Uint8Array, string][] = [
    [WEIGHTS_FILE, new Uint8Array(weightData), 'application/octet-stream'],
    [MODEL_JSON, new TextEncoder().encode(JSON.stringify(modelJson)), 'application/json'],
  ];
  for (const [path, body, contentType] of files) {
    await createOnce(s3, { bucket: root.bucket, key: joinKey(root.key, path) }, body, contentType);
    digests[path] = sha256Hex(body);
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** A model file of the example version, for the declarations. */
const MODEL_FILE = `${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}model.json`;

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob', 'trainJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [{ s3: 'models', key: MODEL_FILE }],
    why: "loads a version's model.json and weights (the job's model; the champion a candidate is gated against)",
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'models', key: MODEL_FILE }],
    context: IF_NONE_MATCH,
    why: "creates a new version's model.json and weights, once (If-None-Match)",
  },
];
