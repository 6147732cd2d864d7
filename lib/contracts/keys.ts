import { joinKey } from './s3-location';

/**
 * Every S3 key this project writes, in one place, so the batcher, the worker, the CLI and the
 * IAM policies in lib/ agree on the layout. Shard numbers are zero-padded so keys sort.
 */
export const RESULTS_PREFIXES = {
  manifests: 'manifests/',
  results: 'results/',
  errors: 'errors/',
  summaries: 'summaries/',
  /** Temporary: resumable progress of running shards; expired by a lifecycle rule. */
  checkpoints: 'checkpoints/',
  /** Temporary: Athena query results of the results workgroup; expired by a lifecycle rule. */
  queryResults: 'query-results/',
} as const;

export const MODEL_PREFIXES = {
  models: 'models/',
  training: 'training/',
} as const;

function shardName(shard: number): string {
  return `shard-${String(shard).padStart(5, '0')}`;
}

export const resultKeys = {
  manifest: (batchId: string) => joinKey(RESULTS_PREFIXES.manifests, batchId, 'manifest.json'),
  results: (batchId: string, shard: number) =>
    joinKey(RESULTS_PREFIXES.results, batchId, `${shardName(shard)}.jsonl`),
  errors: (batchId: string, shard: number) =>
    joinKey(RESULTS_PREFIXES.errors, batchId, `${shardName(shard)}.jsonl`),
  summary: (batchId: string, shard: number) =>
    joinKey(RESULTS_PREFIXES.summaries, batchId, `${shardName(shard)}.json`),
  /** Beside the shard summaries; list those by shardSummaryPrefix to leave it out. */
  batchSummary: (batchId: string) => joinKey(RESULTS_PREFIXES.summaries, batchId, 'batch.json'),
  /** The prefix of a batch's shard summaries, which leaves its batch.json out. */
  shardSummaryPrefix: (batchId: string) => joinKey(RESULTS_PREFIXES.summaries, batchId, 'shard-'),
  checkpointPrefix: (batchId: string, shard: number) =>
    joinKey(RESULTS_PREFIXES.checkpoints, batchId, shardName(shard)) + '/',
};

export const modelKeys = {
  root: (modelName: string) => joinKey(MODEL_PREFIXES.models, modelName) + '/',
  version: (modelName: string, version: string) =>
    joinKey(MODEL_PREFIXES.models, modelName, 'versions', version) + '/',
  champion: (modelName: string) => joinKey(MODEL_PREFIXES.models, modelName, 'champion.json'),
  historyPrefix: (modelName: string) => joinKey(MODEL_PREFIXES.models, modelName, 'history') + '/',
};

/** Whether a key under summaries/ is a shard summary (not a batch's batch.json). */
export function isShardSummaryKey(key: string): boolean {
  return /^summaries\/[^/]+\/shard-\d{5}\.json$/.test(key);
}
