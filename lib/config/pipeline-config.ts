/**
 * The one typed configuration of the pipeline. Every knob has a default here; the README's
 * configuration table documents each with the reason for its default. Values come from the
 * `pipeline` object in cdk.json context (or `-c pipeline='{"...":...}'`), merged over these
 * defaults and validated by ./validate-config.ts.
 */
export interface PipelineConfig {
  /** Prefix of every physical name this stack sets (queues, job queue, job definitions). */
  readonly namePrefix: string;

  /** Use this existing bucket for inputs instead of creating one. */
  readonly existingInputBucketName?: string;
  /** Use this existing bucket for manifests and results instead of creating one. */
  readonly existingResultsBucketName?: string;
  /** Use this existing (versioned) bucket for the model registry and training data. */
  readonly existingModelBucketName?: string;
  /** Only objects under this key prefix are scored. */
  readonly inputPrefix: string;
  /** Only objects whose keys end with one of these are scored; empty means all. */
  readonly inputSuffixes: readonly string[];
  /** Days after which checkpoints and other temporary objects expire. */
  readonly temporaryObjectExpirationDays: number;

  /** Messages handed to one batcher invocation (SQS event source batch size). */
  readonly batcherBatchSize: number;
  /** How long the event source gathers messages before invoking the batcher. */
  readonly batcherBatchingWindowSeconds: number;
  /** Upper bound of concurrent batcher invocations (SQS event source maximum concurrency). */
  readonly batcherMaxConcurrency: number;
  readonly batcherTimeoutSeconds: number;
  readonly batcherMemoryMiB: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;

  /** A batch closes at this many files... */
  readonly maxBatchFiles: number;
  /** ...or this many bytes... */
  readonly maxBatchBytes: number;
  /** ...or when its oldest item has waited this long, whichever comes first. */
  readonly maxBatchWaitSeconds: number;
  /** Files per array-job child. */
  readonly shardSize: number;

  /** Deploy into this existing VPC instead of creating one. */
  readonly vpcId?: string;
  readonly instanceTypes: readonly string[];
  /** Upper bound of the GPU fleet, summed over spot and on-demand. */
  readonly maxVcpus: number;
  /** Run the primary compute environment on spot; on-demand stays behind it either way. */
  readonly useSpot: boolean;
  /** Prebuilt worker image URI; when unset the image is built from container/ at deploy time. */
  readonly workerImageUri?: string;
  readonly inferVcpus: number;
  readonly inferMemoryMiB: number;
  readonly inferTimeoutMinutes: number;
  readonly trainVcpus: number;
  readonly trainMemoryMiB: number;
  readonly trainTimeoutMinutes: number;
  /** Attempts per job, counting the first (AWS Batch allows 1 to 10). */
  readonly jobAttempts: number;

  /** Registry name of the model scored with and retrained. */
  readonly modelName: string;
  /** Pin a model version for inference; unset means the current champion. */
  readonly modelVersion?: string;
  /** EventBridge schedule expression for retraining, or `off`. */
  readonly retrainSchedule: string;

  /** Email subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Alarm when the oldest queued upload is older than this. */
  readonly maxMessageAgeSeconds: number;

  /** Name or ARN of the EventBridge bus completion events go to; `default` is the account's. */
  readonly completionEventBusName: string;
  /** Email subscribed to the completion topic (one short message per finished batch). */
  readonly completionEmail?: string;
}

export const DEFAULT_CONFIG: PipelineConfig = {
  namePrefix: 'gbi',
  inputPrefix: 'incoming/',
  inputSuffixes: [],
  temporaryObjectExpirationDays: 7,
  batcherBatchSize: 1000,
  batcherBatchingWindowSeconds: 20,
  batcherMaxConcurrency: 2,
  batcherTimeoutSeconds: 120,
  batcherMemoryMiB: 512,
  maxReceiveCount: 5,
  maxBatchFiles: 40000,
  maxBatchBytes: 10 * 1024 ** 3,
  maxBatchWaitSeconds: 1440,
  shardSize: 40000,
  instanceTypes: ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'],
  maxVcpus: 64,
  useSpot: true,
  inferVcpus: 4,
  inferMemoryMiB: 14336,
  inferTimeoutMinutes: 120,
  trainVcpus: 4,
  trainMemoryMiB: 14336,
  trainTimeoutMinutes: 240,
  jobAttempts: 3,
  modelName: 'digits',
  retrainSchedule: 'cron(0 3 ? * SUN *)',
  maxMessageAgeSeconds: 3600,
  completionEventBusName: 'default',
};
