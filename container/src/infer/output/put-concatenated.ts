import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Location } from '../../../../lib/contracts/s3-location';

/** Above S3's 5 MiB minimum part size, so every part but the last is valid. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Writes the concatenation of `chunks` as one object without holding it all in memory: one
 * PutObject when it fits in a part, else a multipart upload. Either way the object becomes
 * visible only complete (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html).
 */
export async function putConcatenated(
  s3: S3Client,
  target: S3Location,
  chunks: AsyncIterable<string>,
  contentType: string,
): Promise<void> {
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let uploadId: string | undefined;
  const parts: { ETag: string; PartNumber: number }[] = [];
  const flushPart = async () => {
    uploadId ??= (
      await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: target.bucket,
          Key: target.key,
          ContentType: contentType,
        }),
      )
    ).UploadId!;
    const PartNumber = parts.length + 1;
    const { ETag } = await s3.send(
      new UploadPartCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
        PartNumber,
        Body: Buffer.concat(buffered),
      }),
    );
    parts.push({ ETag: ETag!, PartNumber });
    buffered = [];
    bufferedBytes = 0;
  };
  try {
    for await (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf-8');
      buffered.push(bytes);
      bufferedBytes += bytes.length;
      if (bufferedBytes >= PART_BYTES) await flushPart();
    }
    if (uploadId === undefined) {
      await s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          Body: Buffer.concat(buffered),
          ContentType: contentType,
        }),
      );
      return;
    }
    if (bufferedBytes > 0) await flushPart();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    if (uploadId !== undefined) {
      await s3.send(
        new AbortMultipartUploadCommand({
          Bucket: target.bucket,
          Key: target.key,
          UploadId: uploadId,
        }),
      );
    }
    throw error;
  }
}
