import { availableParallelism } from 'node:os';
import { WORKER_ENV } from '../../../lib/contracts/job-contract';
import { parseS3Url } from '../../../lib/contracts/s3-location';
import { UsageError } from './errors';

export interface InferOptions {
  /** s3:// URL of the batch manifest. */
  readonly manifestUrl: string;
  readonly shard: number;
  readonly resultsBucket: string;
  readonly modelBucket: string;
  /** Records per model call. */
  readonly batchSize: number;
  /** Downloads running at once. */
  readonly concurrency: number;
  /** Objects downloaded and decoded ahead of the model; bounds memory with the largest object size. */
  readonly prefetch: number;
  /** Bytes ahead of the model: each object's manifest size plus its decoded record. */
  readonly prefetchBytes: number;
  /** Worker threads decoding images and records; 0 decodes on the main thread. */
  readonly decodeThreads: number;
  /** Longest decode of one object on a decode thread; past it the object fails. */
  readonly decodeTimeoutSeconds: number;
  readonly topK: number;
  /** True when --top-k or WORKER_TOP_K set topK; otherwise the model's defaultTopK wins over it. */
  readonly topKFromJob?: boolean;
  /** Largest failed fraction of a shard's records that still lets the shard succeed. */
  readonly maxErrorFraction: number;
  /** Largest object read whole into memory; archives are streamed and bounded below. */
  readonly maxObjectBytes: number;
  readonly maxImagePixels: number;
  /** Largest tar member read; each member is held in memory whole while it decodes. */
  readonly maxMemberBytes: number;
  /** Most entries read from one archive. */
  readonly maxArchiveMembers: number;
  /** Most tar bytes (after gunzip) read from one archive: bounds a gzip bomb. */
  readonly maxArchiveBytes: number;
  /** Members of one archive read and decoded ahead of the model; bounds memory per archive. */
  readonly archivePrefetch: number;
  /** Records per checkpoint part: the most work a retried shard redoes. */
  readonly checkpointRecords: number;
  readonly progressSeconds: number;
}

interface Knob {
  readonly flag: string;
  readonly env: string;
  readonly fallback: number;
  readonly integer: boolean;
  readonly min: number;
  readonly max?: number;
}

type NumericOption = Exclude<
  keyof InferOptions,
  'manifestUrl' | 'shard' | 'resultsBucket' | 'modelBucket' | 'topKFromJob'
>;

/** Tunables: a flag for people, an environment variable for job definitions, and a default. */
const KNOBS: Readonly<Record<NumericOption, Knob>> = {
  batchSize: {
    flag: '--batch-size',
    env: 'WORKER_BATCH_SIZE',
    fallback: 128,
    integer: true,
    min: 1,
  },
  // docs/container.md, Requests in flight: measured at S3's latency (npm run bench:latency).
  concurrency: {
    flag: '--concurrency',
    env: 'WORKER_CONCURRENCY',
    fallback: 128,
    integer: true,
    min: 1,
  },
  // Wide, so the other downloads go on while the model waits on a stalled one (Requests in
  // flight); --prefetch-bytes keeps large objects to a few.
  prefetch: { flag: '--prefetch', env: 'WORKER_PREFETCH', fallback: 1024, integer: true, min: 1 },
  prefetchBytes: {
    flag: '--prefetch-bytes',
    env: 'WORKER_PREFETCH_BYTES',
    fallback: 256 * 1024 * 1024,
    integer: true,
    min: 1,
  },
  // One core stays with the main thread, which feeds the model.
  decodeThreads: {
    flag: '--decode-threads',
    env: 'WORKER_DECODE_THREADS',
    fallback: Math.max(0, availableParallelism() - 1),
    integer: true,
    min: 0,
  },
  decodeTimeoutSeconds: {
    flag: '--decode-timeout-seconds',
    env: 'WORKER_DECODE_TIMEOUT_SECONDS',
    fallback: 60,
    integer: false,
    min: 0.001,
  },
  topK: { flag: '--top-k', env: 'WORKER_TOP_K', fallback: 3, integer: true, min: 1 },
  maxErrorFraction: {
    flag: '--max-error-fraction',
    env: 'WORKER_MAX_ERROR_FRACTION',
    fallback: 0.1,
    integer: false,
    min: 0,
    max: 1,
  },
  maxObjectBytes: {
    flag: '--max-object-bytes',
    env: 'WORKER_MAX_OBJECT_BYTES',
    fallback: 100 * 1024 * 1024,
    integer: true,
    min: 1,
  },
  maxImagePixels: {
    flag: '--max-image-pixels',
    env: 'WORKER_MAX_IMAGE_PIXELS',
    fallback: 40_000_000,
    integer: true,
    min: 1,
  },
  maxMemberBytes: {
    flag: '--max-member-bytes',
    env: 'WORKER_MAX_MEMBER_BYTES',
    fallback: 100 * 1024 * 1024,
    integer: true,
    min: 1,
  },
  maxArchiveMembers: {
    flag: '--max-archive-members',
    env: 'WORKER_MAX_ARCHIVE_MEMBERS',
    fallback: 100_000,
    integer: true,
    min: 1,
  },
  maxArchiveBytes: {
    flag: '--max-archive-bytes',
    env: 'WORKER_MAX_ARCHIVE_BYTES',
    fallback: 10 * 1024 * 1024 * 1024,
    integer: true,
    min: 1,
  },
  archivePrefetch: {
    flag: '--archive-prefetch',
    env: 'WORKER_ARCHIVE_PREFETCH',
    fallback: 64,
    integer: true,
    min: 1,
  },
  checkpointRecords: {
    flag: '--checkpoint-records',
    env: 'WORKER_CHECKPOINT_RECORDS',
    fallback: 2000,
    integer: true,
    min: 1,
  },
  progressSeconds: {
    flag: '--progress-seconds',
    env: 'WORKER_PROGRESS_SECONDS',
    fallback: 5,
    integer: false,
    min: 0.1,
  },
};

const OTHER_FLAGS = ['--manifest', '--shard'];

function flagValues(argv: readonly string[], errors: string[]): Map<string, string> {
  const known = new Set([...OTHER_FLAGS, ...Object.values(KNOBS).map((knob) => knob.flag)]);
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!known.has(flag)) {
      errors.push(`unknown argument '${argv[i]}'`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) errors.push(`${flag}: missing value`);
    else values.set(flag, value);
  }
  return values;
}

function numberFrom(
  raw: string,
  name: string,
  knob: Pick<Knob, 'integer' | 'min' | 'max'>,
  errors: string[],
): number {
  const value = Number(raw);
  const valid =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!knob.integer || Number.isInteger(value)) &&
    value >= knob.min &&
    (knob.max === undefined || value <= knob.max);
  if (!valid) {
    const range = knob.max === undefined ? `>= ${knob.min}` : `in ${knob.min}..${knob.max}`;
    errors.push(
      `${name}: expected ${knob.integer ? 'an integer' : 'a number'} ${range}, got '${raw}'`,
    );
  }
  return value;
}

/** Every tunable at its default: what a shard run gets when neither flag nor environment sets it. */
export const INFER_DEFAULTS: Readonly<Record<NumericOption, number>> = Object.fromEntries(
  (Object.entries(KNOBS) as [NumericOption, Knob][]).map(([option, knob]) => [
    option,
    knob.fallback,
  ]),
) as Record<NumericOption, number>;

/**
 * Options of `infer` from its arguments and environment. The shard is `--shard`, else
 * AWS_BATCH_JOB_ARRAY_INDEX (set in array-job children), else 0 for a plain job. Collects every
 * problem and throws one UsageError naming them.
 */
export function parseInferOptions(argv: readonly string[], env: NodeJS.ProcessEnv): InferOptions {
  const errors: string[] = [];
  const flags = flagValues(argv, errors);
  const manifestUrl = flags.get('--manifest') ?? '';
  let manifestBucket: string | undefined;
  if (manifestUrl === '') errors.push('--manifest: required (s3:// URL of the batch manifest)');
  else {
    try {
      manifestBucket = parseS3Url(manifestUrl).bucket;
    } catch (error) {
      errors.push(`--manifest: ${(error as Error).message}`);
    }
  }
  const shardRaw = flags.get('--shard') ?? env.AWS_BATCH_JOB_ARRAY_INDEX;
  const shardName = flags.has('--shard') ? '--shard' : 'AWS_BATCH_JOB_ARRAY_INDEX';
  const shard =
    shardRaw === undefined ? 0 : numberFrom(shardRaw, shardName, { integer: true, min: 0 }, errors);
  const modelBucket = env[WORKER_ENV.modelBucket] ?? '';
  if (modelBucket === '')
    errors.push(`${WORKER_ENV.modelBucket}: required (bucket of the model registry)`);
  const numeric = Object.fromEntries(
    (Object.entries(KNOBS) as [NumericOption, Knob][]).map(([option, knob]) => {
      const fromFlag = flags.get(knob.flag);
      const raw = fromFlag ?? env[knob.env];
      const name = fromFlag !== undefined ? knob.flag : knob.env;
      return [option, raw === undefined ? knob.fallback : numberFrom(raw, name, knob, errors)];
    }),
  ) as Record<NumericOption, number>;
  if (errors.length > 0) throw new UsageError(`infer: ${errors.join('; ')}`);
  return {
    manifestUrl,
    shard,
    // The batcher writes manifests into the results bucket, so it is the natural default.
    resultsBucket: env[WORKER_ENV.resultsBucket] || manifestBucket!,
    modelBucket,
    ...numeric,
    topKFromJob: flags.has(KNOBS.topK.flag) || env[KNOBS.topK.env] !== undefined,
  };
}
