/**
 * Environment variables the CDK stack sets on the batcher Lambda; the Lambda validates them at
 * cold start and names any bad one.
 */
export const BATCHER_ENV = {
  /**
   * DynamoDB table holding the durable buffer (partition key `pk`, sort key `sk`, TTL
   * `expiresAt`, index BUFFER_CLAIMS_BY_KEY_INDEX).
   */
  bufferTable: 'BUFFER_TABLE_NAME',
  /** Bucket receiving manifests (under manifests/). */
  resultsBucket: 'RESULTS_BUCKET',
  jobQueue: 'JOB_QUEUE_ARN',
  inferJobDefinition: 'INFER_JOB_DEFINITION_ARN',
  modelName: 'MODEL_NAME',
  /** Optional pinned model version; empty means the champion at job start. */
  modelVersion: 'MODEL_VERSION',
  /** The only bucket whose notifications are batched. */
  inputBucket: 'INPUT_BUCKET',
  inputPrefix: 'INPUT_PREFIX',
  /** Comma-separated; empty accepts every suffix. */
  inputSuffixes: 'INPUT_SUFFIXES',
  maxBatchFiles: 'MAX_BATCH_FILES',
  maxBatchBytes: 'MAX_BATCH_BYTES',
  maxBatchWaitSeconds: 'MAX_BATCH_WAIT_SECONDS',
  shardSize: 'SHARD_SIZE',
  metricsNamespace: 'METRICS_NAMESPACE',
} as const;

/** The buffer table's one index: claims by `objectKey` (<bucket>/<key>), sorted by `claimedAt`. */
export const BUFFER_CLAIMS_BY_KEY_INDEX = 'claims-by-key';
