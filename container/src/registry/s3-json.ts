import {
  GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getExistingObject, getObjectIfExists } from '../../../lib/contracts/s3-key-presence';
import { RegistryDataError } from './errors';
import { AccessCall, EXAMPLE, IF_NONE_MATCH, listPrefix } from '../../../lib/contracts/access';
import { modelKeys } from '../../../lib/contracts/keys';

/** A JSON object as read, with the ETag a later compare-and-swap names. */
export interface JsonObject {
  readonly value: unknown;
  readonly etag: string;
}

async function parsed(
  response: GetObjectCommandOutput,
  bucket: string,
  key: string,
): Promise<JsonObject> {
  const text = (await response.Body?.transformToString('utf8')) ?? '';
  try {
    return { value: JSON.parse(text), etag: response.ETag ?? '' };
  } catch (error) {
    throw new RegistryDataError(`s3://${bucket}/${key}: not JSON (${(error as Error).message})`);
  }
}

/**
 * Reads a JSON object and its ETag, or undefined when the key does not exist (asked of a
 * listing when the read fails: lib/contracts/s3-key-presence.ts).
 */
export async function readJsonObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<JsonObject | undefined> {
  const response = await getObjectIfExists(s3, { Bucket: bucket, Key: key });
  return response && parsed(response, bucket, key);
}

/** Reads a JSON object, or undefined when the key does not exist. */
export async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  return (await readJsonObject(s3, bucket, key))?.value;
}

/** Reads a JSON object that has to exist (a listed key); a failure names the key. */
export async function readExistingJson(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<unknown> {
  return (await parsed(await getExistingObject(s3, { Bucket: bucket, Key: key }), bucket, key))
    .value;
}

/**
 * Every registry write is conditional, as the model bucket's policy requires: a create that
 * never replaces (If-None-Match: *), or a compare-and-swap that replaces only the exact object
 * read before (If-Match: its ETag).
 * Amazon S3 User Guide, "Add preconditions to S3 operations with conditional writes"
 */
export type WriteCondition = { readonly ifAbsent: true } | { readonly ifMatch: string };

/**
 * Writes JSON under `condition`; reports false, writing nothing, when the condition does not
 * hold (the key exists for a create; it changed or vanished for a compare-and-swap).
 */
export async function writeJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  condition: WriteCondition,
): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value, null, 2),
        ContentType: 'application/json',
        ...('ifAbsent' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch }),
      }),
    );
    return true;
  } catch (error) {
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    // 412: precondition failed; 409: a concurrent conditional write won; 404: If-Match on a
    // key that no longer exists.
    if (status === 412 || status === 409 || ('ifMatch' in condition && status === 404)) {
      return false;
    }
    throw error;
  }
}

/** The registry's JSON objects of the example model, for the declarations. */
const VERSION_METADATA = `${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}metadata.json`;
const CHAMPION = modelKeys.champion(EXAMPLE.modelName);
const HISTORY_EVENT = `${modelKeys.historyPrefix(EXAMPLE.modelName)}2024-05-01T12:00:00.000Z-promote.json`;
const TRAINING_CONFIG = `${modelKeys.root(EXAMPLE.modelName)}training-config.json`;

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['trainJob', 'operator'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [
      { s3: 'models', key: CHAMPION },
      { s3: 'models', key: VERSION_METADATA },
      { s3: 'models', key: HISTORY_EVENT },
      { s3: 'models', key: TRAINING_CONFIG },
    ],
    why: "reads the champion pointer, a version's metadata, the promotion history and the model's training-config.json",
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [
      { s3: 'models', key: VERSION_METADATA },
      { s3: 'models', key: HISTORY_EVENT },
      { s3: 'models', key: CHAMPION },
    ],
    context: IF_NONE_MATCH,
    why: "creates a version's metadata, a history event and the first champion pointer, once (If-None-Match)",
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'models', key: CHAMPION }],
    context: { 's3:if-match': '"9b2cf535f27731c974343645a3985328"' },
    why: 'moves the champion pointer by compare-and-swap on the ETag it read (If-Match)',
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(CHAMPION),
    why: 'tells a missing champion.json, training-config.json or metadata from a refused read, listing with the key as prefix',
  },
];
