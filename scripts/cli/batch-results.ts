import type { S3Client } from '@aws-sdk/client-s3';
import { RESULTS_PREFIXES, resultKeys } from '../../lib/contracts/keys';
import { BatchManifest, validateManifest } from '../../lib/contracts/manifest';
import type { ErrorRecord, ResultRecord, ShardSummary } from '../../lib/contracts/records';
import { getObjectIfExists } from '../../lib/contracts/s3-key-presence';
import { joinKey } from '../../lib/contracts/s3-location';
import { jsonLines, listKeys, readText } from '../shared/s3-reads';
import { MissingResourceError } from './errors';

export interface BatchResults {
  readonly manifest: BatchManifest;
  readonly results: readonly ResultRecord[];
  readonly errors: readonly ErrorRecord[];
  /** One per finished shard; a missing one means the shard has not finished. */
  readonly summaries: readonly ShardSummary[];
}

/** Ids of every batch with a manifest, oldest first (batch ids sort by time). */
export async function listBatchIds(s3: S3Client, resultsBucket: string): Promise<string[]> {
  const keys = await listKeys(s3, resultsBucket, RESULTS_PREFIXES.manifests);
  return keys
    .filter((key) => key.endsWith('/manifest.json'))
    .map((key) => key.slice(RESULTS_PREFIXES.manifests.length, -'/manifest.json'.length))
    .sort();
}

/** A batch's manifest; a batch without one (a mistyped id, say) is a MissingResourceError. */
export async function readManifest(
  s3: S3Client,
  resultsBucket: string,
  batchId: string,
): Promise<BatchManifest> {
  const key = resultKeys.manifest(batchId);
  const response = await getObjectIfExists(s3, { Bucket: resultsBucket, Key: key });
  if (!response) {
    throw new MissingResourceError(`batch ${batchId}: no manifest at s3://${resultsBucket}/${key}`);
  }
  return validateManifest(JSON.parse(await response.Body!.transformToString('utf-8')));
}

/**
 * Everything a batch has written so far: results, errors and shard summaries. `results: false`
 * skips the result records (the bulk of a large batch) when only counts and errors are needed.
 */
export async function readBatchResults(
  s3: S3Client,
  resultsBucket: string,
  batchId: string,
  include: { readonly results: boolean; readonly errors: boolean } = {
    results: true,
    errors: true,
  },
): Promise<BatchResults> {
  const manifest = await readManifest(s3, resultsBucket, batchId);
  const read = async <T>(prefix: string, parse: (text: string) => T[]): Promise<T[]> => {
    const keys = await listKeys(s3, resultsBucket, prefix);
    const parts = await Promise.all(keys.map((key) => readText(s3, resultsBucket, key)));
    return parts.flatMap(parse);
  };
  const [results, errors, summaries] = await Promise.all([
    include.results
      ? read<ResultRecord>(joinKey(RESULTS_PREFIXES.results, batchId) + '/', jsonLines)
      : [],
    include.errors
      ? read<ErrorRecord>(joinKey(RESULTS_PREFIXES.errors, batchId) + '/', jsonLines)
      : [],
    // The shard summaries only: the finisher's batch.json lies beside them.
    read<ShardSummary>(resultKeys.shardSummaryPrefix(batchId), (text) => [
      JSON.parse(text) as ShardSummary,
    ]),
  ]);
  return { manifest, results, errors, summaries };
}
