import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Location } from '../../../../lib/contracts/s3-location';
import { AccessCall, EXAMPLE } from '../../../../lib/contracts/access';
import { resultKeys } from '../../../../lib/contracts/keys';

export interface UploadLimits {
  /** Above S3's 5 MiB minimum, so every part but the last is valid. */
  readonly partBytes: number;
  /** Parts in flight; with the part being filled, memory holds about queueSize + 1 parts. */
  readonly queueSize: number;
}

/** docs/benchmarks.md ("Shard output writer") has the measurement behind these. */
export const UPLOAD_LIMITS: UploadLimits = { partBytes: 8 * 1024 * 1024, queueSize: 4 };

/**
 * Writes the concatenation of `chunks` as one object with lib-storage's Upload, which streams
 * it with bounded memory: one PutObject when it fits in a part, else a multipart upload that is
 * aborted when the source or a part fails. Either way the object becomes visible only complete
 * (Amazon S3 User Guide, "Uploading and copying objects using multipart upload").
 */
export async function uploadConcatenated(
  s3: S3Client,
  target: S3Location,
  chunks: AsyncIterable<string>,
  contentType: string,
  limits: UploadLimits = UPLOAD_LIMITS,
): Promise<void> {
  await new Upload({
    client: s3,
    params: {
      Bucket: target.bucket,
      Key: target.key,
      Body: Readable.from(chunks),
      ContentType: contentType,
    },
    partSize: limits.partBytes,
    queueSize: limits.queueSize,
  }).done();
}

/** The two streams run-shard.ts writes through this module, for the declarations. */
const STREAMS = [
  { s3: 'results', key: resultKeys.results(EXAMPLE.batchId, 0) },
  { s3: 'results', key: resultKeys.errors(EXAMPLE.batchId, 0) },
] as const;

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'Upload',
    action: 's3:PutObject',
    resources: STREAMS,
    why: "writes a shard's result and error streams (one PutObject, or a multipart upload)",
  },
  {
    by: ['inferJob'],
    sdk: 'Upload',
    action: 's3:PutObject',
    resources: STREAMS,
    // CreateMultipartUpload and UploadPart authorise as s3:PutObject but create nothing yet.
    context: { 's3:ObjectCreationOperation': 'false' },
    why: 'starts a multipart upload of a large stream and uploads its parts',
  },
  {
    by: ['inferJob'],
    sdk: 'Upload',
    action: 's3:AbortMultipartUpload',
    resources: STREAMS,
    why: 'aborts the multipart upload of a stream whose source or part failed',
  },
];
