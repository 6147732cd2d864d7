import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import {
  BatchManifest,
  MANIFEST_SCHEMA_VERSION,
  ManifestItem,
  ModelReference,
  shardCountFor,
} from '../../lib/contracts/manifest';

export interface InputFile {
  readonly key: string;
  readonly body: Uint8Array | string;
}

/**
 * Uploads input objects, `concurrency` at a time, and returns their manifest items in input
 * order, pinned to the etags S3 returned.
 */
export async function uploadInputs(
  s3: S3Client,
  bucket: string,
  files: readonly InputFile[],
  concurrency = 16,
): Promise<ManifestItem[]> {
  const items: ManifestItem[] = new Array(files.length);
  let next = 0;
  const uploader = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      const size = Buffer.byteLength(file.body);
      const { ETag } = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: file.key,
          Body: file.body,
          // Known up front: without it the SDK treats a Buffer from another realm as a stream.
          ContentLength: size,
        }),
      );
      items[index] = { bucket, key: file.key, size, etag: ETag!.replace(/"/g, '') };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, uploader));
  return items;
}

/** A manifest as the batcher builds it. */
export function buildManifest(
  batchId: string,
  model: ModelReference,
  items: readonly ManifestItem[],
  shardSize = items.length,
): BatchManifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    batchId,
    createdAt: new Date().toISOString(),
    model,
    shardSize,
    shardCount: shardCountFor(items.length, shardSize),
    items,
  };
}

/** Writes a manifest as the batcher does and returns its s3:// URL. */
export async function writeManifest(
  s3: S3Client,
  resultsBucket: string,
  batchId: string,
  model: ModelReference,
  items: readonly ManifestItem[],
  shardSize = items.length,
): Promise<string> {
  const key = resultKeys.manifest(batchId);
  await s3.send(
    new PutObjectCommand({
      Bucket: resultsBucket,
      Key: key,
      Body: JSON.stringify(buildManifest(batchId, model, items, shardSize)),
    }),
  );
  return `s3://${resultsBucket}/${key}`;
}
