import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { modelKeys } from '../../../lib/contracts/keys';
import type { ModelReference } from '../../../lib/contracts/manifest';
import type { ChampionPointer, ModelMetadata } from '../../../lib/contracts/registry';
import { joinKey } from '../../../lib/contracts/s3-location';
import { ModelResolutionError } from '../infer/errors';
import { validateMetadata } from './validate-metadata';
import { AccessCall, EXAMPLE, listPrefix } from '../../../lib/contracts/access';

async function readJson(s3: S3Client, bucket: string, key: string, what: string): Promise<unknown> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await response.Body!.transformToString('utf-8'));
  } catch (error) {
    const { name, message } = error as Error;
    throw new ModelResolutionError(`${what} s3://${bucket}/${key} unreadable: ${name}: ${message}`);
  }
}

/** A model version resolved at job start: its metadata and the s3:// URL of its artifacts. */
export interface ResolvedModel {
  readonly metadata: ModelMetadata;
  readonly url: string;
}

/**
 * The version a shard scores with: the one the manifest pins, else the champion at job start.
 * Resolved once, so every record of the shard names the same version even if a promotion
 * happens while it runs.
 */
export async function resolveModel(
  s3: S3Client,
  modelBucket: string,
  reference: ModelReference,
): Promise<ResolvedModel> {
  let version = reference.version;
  if (version === undefined) {
    const champion = (await readJson(
      s3,
      modelBucket,
      modelKeys.champion(reference.name),
      `champion pointer of model '${reference.name}' (the manifest pins no version)`,
    )) as Partial<ChampionPointer>;
    if (typeof champion.version !== 'string' || champion.version.length === 0) {
      throw new ModelResolutionError(
        `champion pointer of model '${reference.name}': version: expected a non-empty string`,
      );
    }
    version = champion.version;
  }
  const root = modelKeys.version(reference.name, version);
  const metadataKey = joinKey(root, 'metadata.json');
  const metadata = validateMetadata(
    await readJson(s3, modelBucket, metadataKey, `metadata of ${reference.name}@${version}`),
    `s3://${modelBucket}/${metadataKey}`,
  );
  if (metadata.name !== reference.name || metadata.version !== version) {
    throw new ModelResolutionError(
      `s3://${modelBucket}/${metadataKey} describes ${metadata.name}@${metadata.version}, expected ${reference.name}@${version}`,
    );
  }
  return { metadata, url: `s3://${modelBucket}/${root}` };
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [
      { s3: 'models', key: modelKeys.champion(EXAMPLE.modelName) },
      {
        s3: 'models',
        key: `${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}metadata.json`,
      },
    ],
    why: "resolves the manifest's model: the champion pointer and the version's metadata",
  },
  // S3 answers a GetObject of a missing key with NoSuchKey only to a caller that may list it,
  // else with AccessDenied: Amazon S3 API Reference, GetObject, permissions.
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(modelKeys.champion(EXAMPLE.modelName)),
    why: 'a model without a champion, or a pinned version that does not exist, fails the job naming NoSuchKey, not AccessDenied',
  },
];
