import { ConfigError } from './config-error';
import { DEFAULT_CONFIG, PipelineConfig } from './pipeline-config';

type Check = (value: unknown) => string | undefined;

const integer =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`;

const text =
  (pattern: RegExp, allowed: string): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value)
      ? undefined
      : `must be ${allowed}, got ${JSON.stringify(value)}`;

const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);

const boolean: Check = (value) =>
  typeof value === 'boolean' ? undefined : `must be true or false, got ${JSON.stringify(value)}`;

const bucketName = text(
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name (3-63 of a-z 0-9 . -)',
);
// GPU families AWS Batch can place with the ECS_AL2023_NVIDIA image (p3 and g3 are not supported by it).
const GPU_INSTANCE =
  /^(g4dn|g5|g5g|g6|g6e|gr6|p4d|p4de|p5|p5e)\.[0-9]*x?large$|^(g4dn|g5|g6|g6e|p4d|p5)$/;

const stringList =
  (item: Check): Check =>
  (value) => {
    if (!Array.isArray(value)) return `must be a list, got ${JSON.stringify(value)}`;
    const bad = value.map(item).find((problem) => problem !== undefined);
    return bad ? `each entry ${bad}` : undefined;
  };

const CHECKS: Record<keyof PipelineConfig, Check> = {
  namePrefix: text(
    /^[a-z][a-z0-9-]{0,19}$/,
    '1-20 characters of a-z 0-9 -, starting with a letter',
  ),
  existingInputBucketName: optional(bucketName),
  existingResultsBucketName: optional(bucketName),
  existingModelBucketName: optional(bucketName),
  inputPrefix: text(/^([^/].*\/)?$/, "empty or a key prefix ending in '/' (no leading '/')"),
  inputSuffixes: stringList(text(/^.+$/, 'a non-empty string')),
  temporaryObjectExpirationDays: integer(1, 365),
  // SQS event source limits: AWS Lambda Developer Guide, "Creating and configuring an Amazon SQS event source mapping"
  batcherBatchSize: integer(1, 10000),
  batcherBatchingWindowSeconds: integer(0, 300),
  batcherMaxConcurrency: integer(2, 1000),
  batcherTimeoutSeconds: integer(10, 900),
  batcherMemoryMiB: integer(128, 10240),
  maxReceiveCount: integer(1, 1000),
  maxBatchFiles: integer(1, 1_000_000),
  maxBatchBytes: integer(1, Number.MAX_SAFE_INTEGER),
  maxBatchWaitSeconds: integer(60, 86_400),
  shardSize: integer(1, 1_000_000),
  vpcId: optional(text(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id (vpc-...)')),
  instanceTypes: (value) =>
    Array.isArray(value) && value.length === 0
      ? 'must list at least one GPU instance type'
      : stringList(
          text(
            GPU_INSTANCE,
            'a GPU instance type or family such as g4dn.xlarge, g5.xlarge, g6.xlarge',
          ),
        )(value),
  maxVcpus: integer(1, 100_000),
  useSpot: boolean,
  workerImageUri: optional(
    text(/^[^\s]+(:[^\s]+|@sha256:[0-9a-f]{64})$/, 'an image URI with a tag or digest'),
  ),
  inferVcpus: integer(1, 192),
  inferMemoryMiB: integer(1024, 2_000_000),
  inferTimeoutMinutes: integer(1, 14 * 24 * 60),
  trainVcpus: integer(1, 192),
  trainMemoryMiB: integer(1024, 2_000_000),
  trainTimeoutMinutes: integer(1, 14 * 24 * 60),
  // AWS Batch accepts 1 to 10 attempts.
  jobAttempts: integer(1, 10),
  modelName: text(/^[a-z0-9][a-z0-9_-]{0,62}$/, '1-63 characters of a-z 0-9 _ -'),
  modelVersion: optional(text(/^[A-Za-z0-9._-]{1,64}$/, '1-64 characters of A-Z a-z 0-9 . _ -')),
  retrainSchedule: text(/^(off|cron\(.+\)|rate\(.+\))$/, "'off', 'cron(...)' or 'rate(...)'"),
  alarmEmail: optional(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
  maxMessageAgeSeconds: integer(60, 1_209_600),
  // Event bus names: Amazon EventBridge API Reference, CreateEventBus
  completionEventBusName: text(
    /^([A-Za-z0-9._-]{1,256}|arn:[a-z-]+:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._-]{1,256})$/,
    "an event bus name (1-256 of A-Z a-z 0-9 . _ -) or event bus ARN, 'default' for the account's",
  ),
  completionEmail: optional(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
};

/**
 * Merges user values over the defaults and validates every field, collecting all problems so a
 * user fixes their configuration in one pass. Unknown keys are errors: a typo must not silently
 * fall back to a default.
 */
export function resolveConfig(input: unknown): PipelineConfig {
  const raw = typeof input === 'string' ? parseJson(input) : (input ?? {});
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([`pipeline: must be an object, got ${JSON.stringify(raw)}`]);
  }
  const problems: string[] = [];
  const known = new Set(Object.keys(CHECKS));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      problems.push(
        `${key}: unknown setting; allowed settings are ${[...known].sort().join(', ')}`,
      );
    }
  }
  const merged = { ...DEFAULT_CONFIG, ...raw } as Record<string, unknown>;
  for (const [key, check] of Object.entries(CHECKS)) {
    const problem = check(merged[key]);
    if (problem) problems.push(`${key}: ${problem}`);
  }
  if (problems.length === 0) {
    const config = merged as unknown as PipelineConfig;
    if (config.inferVcpus > config.maxVcpus) {
      problems.push(
        `inferVcpus: ${config.inferVcpus} exceeds maxVcpus ${config.maxVcpus}, so no job could run`,
      );
    }
    if (config.trainVcpus > config.maxVcpus) {
      problems.push(
        `trainVcpus: ${config.trainVcpus} exceeds maxVcpus ${config.maxVcpus}, so no job could run`,
      );
    }
    if (config.shardSize > config.maxBatchFiles) {
      problems.push(`shardSize: ${config.shardSize} exceeds maxBatchFiles ${config.maxBatchFiles}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged as unknown as PipelineConfig;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`pipeline: not valid JSON (${(error as Error).message})`]);
  }
}
