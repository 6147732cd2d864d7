import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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

/** Uploads input objects and returns their manifest items, pinned to the uploaded etags. */
export async function uploadInputs(
  s3: S3Client,
  bucket: string,
  files: readonly InputFile[],
): Promise<ManifestItem[]> {
  const items: ManifestItem[] = [];
  for (const file of files) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: file.body,
        // Known up front: without it the SDK treats a Buffer from another realm as a stream.
        ContentLength: Buffer.byteLength(file.body),
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: file.key }));
    items.push({
      bucket,
      key: file.key,
      size: head.ContentLength ?? 0,
      etag: head.ETag!.replace(/"/g, ''),
    });
  }
  return items;
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
  const manifest: BatchManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    batchId,
    createdAt: new Date().toISOString(),
    model,
    shardSize,
    shardCount: shardCountFor(items.length, shardSize),
    items,
  };
  const key = resultKeys.manifest(batchId);
  await s3.send(
    new PutObjectCommand({ Bucket: resultsBucket, Key: key, Body: JSON.stringify(manifest) }),
  );
  return `s3://${resultsBucket}/${key}`;
}
