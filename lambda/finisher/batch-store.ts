import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BatchSummary } from '../../lib/contracts/batch-summary';
import { resultKeys } from '../../lib/contracts/keys';
import { BatchManifest, validateManifest } from '../../lib/contracts/manifest';
import type { ShardSummary } from '../../lib/contracts/records';
import {
  getExistingObject,
  isMissingOrDenied,
  ObjectReadError,
} from '../../lib/contracts/s3-key-presence';
import { formatS3Url } from '../../lib/contracts/s3-location';
import { mapLimit } from '../shared/map-limit';
import { ManifestMissingError, SummaryWriteError } from './errors';
import { parseShardSummary } from './parse-shard-summary';
import { AccessCall, EXAMPLE, IF_NONE_MATCH, listPrefix } from '../../lib/contracts/access';

/** Shard summaries read at once; enough to read thousands in seconds, few enough for 512 MB. */
const READ_CONCURRENCY = 16;

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * What the finisher reads and writes in the results bucket: nothing but the batch's own keys.
 * It reads only keys that have to exist (the manifest a job names, summaries it listed,
 * batch.json after its create lost), so a failed read is an error naming the key, whether S3
 * answered it 404 or, as it may for a missing key, 403.
 */
export class BatchStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  private async text(key: string): Promise<string> {
    const { Body } = await getExistingObject(this.s3, { Bucket: this.bucket, Key: key });
    return Body!.transformToString('utf-8');
  }

  /** The batch's manifest; its absence is an error naming the URL, retrying will not help. */
  async manifest(batchId: string): Promise<BatchManifest> {
    const key = resultKeys.manifest(batchId);
    const url = formatS3Url({ bucket: this.bucket, key });
    let text: string;
    try {
      text = await this.text(key);
    } catch (error) {
      if (!(error instanceof ObjectReadError) || !isMissingOrDenied(error.cause)) throw error;
      throw new ManifestMissingError(
        `${error.message}; the job names a batch whose manifest is not in the results bucket`,
        { cause: error },
      );
    }
    let manifest: BatchManifest;
    try {
      manifest = validateManifest(JSON.parse(text));
    } catch (error) {
      throw new ManifestMissingError(`${url}: ${(error as Error).message}`, { cause: error });
    }
    if (manifest.batchId !== batchId) {
      throw new ManifestMissingError(
        `${url}: batchId is '${manifest.batchId}', expected '${batchId}'`,
      );
    }
    return manifest;
  }

  /**
   * The shard summaries present, by shard: listed first, so a batch of thousands of shards
   * costs one GET per summary that exists, not one per shard.
   */
  async shardSummaries(manifest: BatchManifest): Promise<Map<number, ShardSummary>> {
    const expected = new Map(
      Array.from({ length: manifest.shardCount }, (_, shard) => [
        resultKeys.summary(manifest.batchId, shard),
        shard,
      ]),
    );
    const shards: number[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: resultKeys.shardSummaryPrefix(manifest.batchId),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const shard = expected.get(object.Key!);
        if (shard !== undefined) shards.push(shard);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    const found = new Map<number, ShardSummary>();
    await mapLimit(shards, READ_CONCURRENCY, async (shard) => {
      const key = resultKeys.summary(manifest.batchId, shard);
      const text = await this.text(key);
      found.set(shard, parseShardSummary(text, key, { batchId: manifest.batchId, shard }));
    });
    return found;
  }

  /**
   * Writes batch.json unless it exists (If-None-Match: *) and returns the summary that is in S3
   * afterwards: this one, or the one an earlier delivery of the event wrote. The summary never
   * changes once written, even if a later event would have counted differently.
   */
  async createSummaryOnce(
    summary: BatchSummary,
  ): Promise<{ summary: BatchSummary; created: boolean }> {
    const key = resultKeys.batchSummary(summary.batchId);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(summary),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return { summary, created: true };
    } catch (error) {
      const status = httpStatus(error);
      // 412: it exists; 409: a concurrent conditional write is in flight. Either way the
      // summary in S3 is the one to use; a 409 winner may not be readable yet, so that throws.
      if (status !== 412 && status !== 409) throw error;
    }
    let text: string;
    try {
      text = await this.text(key);
    } catch (error) {
      throw new SummaryWriteError(
        `conditional create lost, yet the summary is not readable yet; retried: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { summary: JSON.parse(text) as BatchSummary, created: false };
  }
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['finisher'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [
      { s3: 'results', key: resultKeys.manifest(EXAMPLE.batchId) },
      { s3: 'results', key: resultKeys.summary(EXAMPLE.batchId, 0) },
      { s3: 'results', key: resultKeys.batchSummary(EXAMPLE.batchId) },
    ],
    why: "reads the batch's manifest, its shard summaries, and batch.json after a conflict",
  },
  {
    by: ['finisher'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'results' }],
    context: listPrefix(resultKeys.shardSummaryPrefix(EXAMPLE.batchId)),
    why: "lists the batch's shard summaries",
  },
  {
    by: ['finisher'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'results', key: resultKeys.batchSummary(EXAMPLE.batchId) }],
    context: IF_NONE_MATCH,
    why: "creates the batch's batch.json, once (If-None-Match)",
  },
];
