import { BATCHER_ENV } from '../../lib/contracts/batcher-env';
import { DEFAULT_METRICS_NAMESPACE } from '../../lib/contracts/metrics-namespace';
import type { ModelReference } from '../../lib/contracts/manifest';
import { BatcherConfigError } from './errors';
import type { BatchThresholds } from './batch-policy';

/** Array jobs have at most 10,000 children (AWS Batch User Guide, "Array jobs"). */
export const MAX_ARRAY_SIZE = 10_000;

/**
 * Defaults equal the stack's (lib/config/pipeline-config.ts) so an unset variable behaves like a
 * default deployment; docs/batcher.md explains why they amortise a GPU start.
 */
export const DEFAULT_THRESHOLDS: BatchThresholds = {
  maxFiles: 40_000,
  maxBytes: 10 * 1024 ** 3,
  maxWaitMs: 1_440_000,
};
export const DEFAULT_SHARD_SIZE = 40_000;

export interface BatcherConfig {
  readonly bufferTable: string;
  readonly resultsBucket: string;
  readonly jobQueue: string;
  readonly inferJobDefinition: string;
  readonly model: ModelReference;
  /** Notifications of any other bucket are skipped (foreign-bucket). */
  readonly inputBucket: string;
  readonly inputPrefix: string;
  /** Empty accepts every suffix. */
  readonly inputSuffixes: readonly string[];
  readonly thresholds: BatchThresholds;
  readonly shardSize: number;
  readonly metricsNamespace: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the environment, collecting every bad variable into one error. */
export function loadConfig(env: Env): BatcherConfig {
  const errors: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) errors.push(`${name}: required, got nothing`);
    return value ?? '';
  };
  const positiveInt = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) {
      errors.push(`${name}: expected a positive integer, got '${raw}'`);
      return fallback;
    }
    return value;
  };

  const maxFiles = positiveInt(BATCHER_ENV.maxBatchFiles, DEFAULT_THRESHOLDS.maxFiles);
  const shardSize = positiveInt(BATCHER_ENV.shardSize, DEFAULT_SHARD_SIZE);
  if (Math.ceil(maxFiles / shardSize) > MAX_ARRAY_SIZE) {
    errors.push(
      `${BATCHER_ENV.shardSize}: ${maxFiles} files in shards of ${shardSize} exceed the ${MAX_ARRAY_SIZE} children of an array job`,
    );
  }
  const version = env[BATCHER_ENV.modelVersion]?.trim();
  const config: BatcherConfig = {
    bufferTable: required(BATCHER_ENV.bufferTable),
    resultsBucket: required(BATCHER_ENV.resultsBucket),
    jobQueue: required(BATCHER_ENV.jobQueue),
    inferJobDefinition: required(BATCHER_ENV.inferJobDefinition),
    model: { name: required(BATCHER_ENV.modelName), ...(version ? { version } : {}) },
    inputBucket: required(BATCHER_ENV.inputBucket),
    inputPrefix: env[BATCHER_ENV.inputPrefix] ?? '',
    inputSuffixes: (env[BATCHER_ENV.inputSuffixes] ?? '')
      .split(',')
      .map((suffix) => suffix.trim())
      .filter((suffix) => suffix.length > 0),
    thresholds: {
      maxFiles,
      maxBytes: positiveInt(BATCHER_ENV.maxBatchBytes, DEFAULT_THRESHOLDS.maxBytes),
      maxWaitMs:
        positiveInt(BATCHER_ENV.maxBatchWaitSeconds, DEFAULT_THRESHOLDS.maxWaitMs / 1000) * 1000,
    },
    shardSize,
    metricsNamespace: env[BATCHER_ENV.metricsNamespace]?.trim() || DEFAULT_METRICS_NAMESPACE,
  };
  if (errors.length > 0) {
    throw new BatcherConfigError(`invalid batcher environment: ${errors.join('; ')}`);
  }
  return config;
}
