import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../../../../lib/contracts/manifest';
import type { RecordFailure } from './parse-records';

export type Download =
  | { readonly bytes: Uint8Array; readonly failure?: undefined }
  | { readonly bytes?: undefined; readonly failure: Omit<RecordFailure, 'offset'> };

const tooLarge = (size: number, maxBytes: number): Download => ({
  failure: { code: 'TOO_LARGE', reason: `object is ${size} bytes, above the limit of ${maxBytes}` },
});

/**
 * The exact object version the manifest names (versionId, else If-Match on its etag, so an
 * object overwritten since the batch closed fails instead of being scored as the wrong input).
 * Objects over `maxBytes` are refused without being read. Never throws: failures are values.
 */
export async function downloadObject(
  s3: S3Client,
  item: ManifestItem,
  maxBytes: number,
): Promise<Download> {
  if (item.size > maxBytes) return tooLarge(item.size, maxBytes);
  try {
    const response = await s3.send(
      new GetObjectCommand({
        Bucket: item.bucket,
        Key: item.key,
        ...(item.versionId !== undefined
          ? { VersionId: item.versionId }
          : { IfMatch: `"${item.etag.replace(/"/g, '')}"` }),
      }),
    );
    if ((response.ContentLength ?? 0) > maxBytes)
      return tooLarge(response.ContentLength!, maxBytes);
    return { bytes: await response.Body!.transformToByteArray() };
  } catch (error) {
    const { name, message } = error as Error;
    const reason =
      name === 'PreconditionFailed'
        ? `s3://${item.bucket}/${item.key} changed since the manifest was written (etag ${item.etag} no longer matches)`
        : `s3://${item.bucket}/${item.key}: ${name}: ${message}`;
    return { failure: { code: 'DOWNLOAD_FAILED', reason } };
  }
}
