import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../lib/config/pipeline-config';
import { MeasuredRateTable, readMeasuredRates, recordsPerSecond } from './measured-rates';
import { coldStart, ptxJitSeconds, StartupAssumptions } from './startup-model';
import {
  GPU_INSTANCE_TYPES,
  GPU_PRICES,
  GpuInstanceType,
  SERVICE_PRICES,
  ServicePrices,
  TYPICAL_SPOT_DISCOUNT,
} from './cost-prices';

/** What arrives: files per hour, at a steady rate, their mean size and records (images) each. */
export interface Workload {
  readonly arrivalsPerHour: number;
  readonly meanObjectBytes: number;
  /** Records per object: 1 for an image per file, more for JSONL/CSV files or tar archives. */
  readonly recordsPerObject: number;
}

/** The batcher's thresholds and the array-job shard size (names as in PipelineConfig). */
export interface Thresholds {
  readonly maxBatchFiles: number;
  readonly maxBatchBytes: number;
  readonly maxBatchWaitSeconds: number;
  readonly shardSize: number;
}

/**
 * Everything the model cannot know from the code or a price list. Each is a stated assumption
 * (docs/cost.md gives the reason for every default) and each is a CLI flag.
 */
export interface Assumptions extends StartupAssumptions {
  /** AWS Batch placing the job and EC2 acquiring the instance: latency only, not billed. */
  readonly schedulingSeconds: number;
  /** AWS Batch placing a job on an instance that is already running: latency only. */
  readonly warmSchedulingSeconds: number;
  /** An instance idles this long after its job before the compute environment scales in. */
  readonly scaleDownIdleSeconds: number;
  /**
   * Records one instance scores per second end to end, by object size and records per object:
   * the measured table in docs/measured-rates.json unless a flag replaces it.
   */
  readonly rates: MeasuredRateTable;
  readonly spotDiscount: number;
  /** The batcher's schedule closes expired batches at this period. */
  readonly sweepPeriodSeconds: number;
  readonly batcherBatchSize: number;
  readonly batcherWindowSeconds: number;
  readonly batcherMemoryMiB: number;
  /** Batcher duration per invocation: fixed part plus a part per message handled. */
  readonly lambdaBaseMs: number;
  readonly lambdaPerMessageMs: number;
  /** The SQS event source's pollers keep long-polling an empty queue: 20 s receives each. */
  readonly sqsIdlePollers: number;
  /** Buffer writes and reads per file in DynamoDB (put item; read + delete at close). */
  readonly dynamoWritesPerFile: number;
  readonly dynamoReadsPerFile: number;
  /** S3 PUTs per shard: results, errors, summary, checkpoint parts. */
  readonly s3PutsPerShard: number;
  /** S3 GETs per shard besides the inputs: manifest, champion, metadata, model files. */
  readonly s3GetsPerShard: number;
  /**
   * NAT gateways the GPU VPC keeps (lib/constructs/gpu-compute.ts): a fixed hourly cost. Their
   * data charge is left out: image layers and inputs come from S3 through the S3 gateway
   * endpoint, so only small API traffic crosses the NAT.
   */
  readonly natGateways: number;
}

/** The measured rates the bench writes and the cost model reads by default. */
export const DEFAULT_RATES_FILE = join(__dirname, '..', '..', 'docs', 'measured-rates.json');

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  bootSeconds: 60,
  // docs/container.md: the GPU variant measured 4,824 MB; SASS sm_60/70/80/89/90 in its check.
  imageMegabytes: 4_824,
  // Assumed: CUDA libraries and wheels gzip to about half.
  imageCompressedShare: 0.45,
  // containerd issue 13559: a 2.7 GiB TensorFlow 2.21 GPU layer fetched to EC2 in ~15 s and
  // inflated by Go's gzip on one core in 30-35 s (the stage that usually sets a pull's time).
  registryMegabytesPerSecond: 190,
  inflateMegabytesPerSecond: 83,
  // The gp3 root volume's baseline throughput, 125 MiB/s.
  diskMegabytesPerSecond: 131,
  // Assumed: the driver compiling TensorFlow's kernels from PTX takes minutes; unused while
  // the image has SASS for every target GPU.
  ptxJitSeconds: 300,
  imageSass: [60, 70, 80, 89, 90],
  modelLoadSeconds: 5,
  schedulingSeconds: 60,
  warmSchedulingSeconds: 15,
  scaleDownIdleSeconds: 300,
  rates: readMeasuredRates(DEFAULT_RATES_FILE),
  spotDiscount: TYPICAL_SPOT_DISCOUNT.usd,
  sweepPeriodSeconds: 60,
  batcherBatchSize: DEFAULT_CONFIG.batcherBatchSize,
  batcherWindowSeconds: DEFAULT_CONFIG.batcherBatchingWindowSeconds,
  batcherMemoryMiB: DEFAULT_CONFIG.batcherMemoryMiB,
  lambdaBaseMs: 150,
  lambdaPerMessageMs: 2,
  sqsIdlePollers: 5,
  dynamoWritesPerFile: 2,
  dynamoReadsPerFile: 1,
  s3PutsPerShard: 6,
  s3GetsPerShard: 5,
  natGateways: 1,
};

export const DEFAULT_THRESHOLDS: Thresholds = {
  maxBatchFiles: DEFAULT_CONFIG.maxBatchFiles,
  maxBatchBytes: DEFAULT_CONFIG.maxBatchBytes,
  maxBatchWaitSeconds: DEFAULT_CONFIG.maxBatchWaitSeconds,
  shardSize: DEFAULT_CONFIG.shardSize,
};

export const DEFAULT_WORKLOAD: Workload = {
  arrivalsPerHour: 100_000,
  meanObjectBytes: 2_000,
  recordsPerObject: 1,
};

export type CloseReason = 'max-files' | 'max-bytes' | 'max-wait';

export interface GpuCost {
  readonly onDemandPerMillion: number;
  readonly spotPerMillion: number;
  readonly onDemandPerDay: number;
  readonly spotPerDay: number;
  /** Mean instances running at once, to compare with the compute environment's max vCPUs. */
  readonly meanInstances: number;
}

export interface ServiceCost {
  readonly lambdaPerDay: number;
  readonly sqsPerDay: number;
  readonly s3PerDay: number;
  readonly dynamoPerDay: number;
  readonly natPerDay: number;
  readonly perDay: number;
  readonly perMillion: number;
}

export interface Latency {
  /** Mean time from upload to result, seconds, and the same for the file that waits longest. */
  readonly meanSeconds: number;
  readonly worstSeconds: number;
  readonly accumulateMeanSeconds: number;
  readonly jobStartSeconds: number;
  readonly inferenceSeconds: number;
}

export interface CostScenario {
  readonly filesPerDay: number;
  /** Records (images) per day: what the per-million prices divide by. */
  readonly imagesPerDay: number;
  /** Records one reference instance scores per second, from the measured rates. */
  readonly recordsPerSecond: number;
  readonly filesPerBatch: number;
  readonly closeReason: CloseReason;
  readonly batchesPerDay: number;
  readonly jobsPerDay: number;
  readonly filesPerJob: number;
  /** Billed seconds per array child on the reference instance type, start-up included. */
  readonly billedSecondsPerJob: number;
  /**
   * Whether the next batch arrives before an instance scales in, so jobs find warm instances
   * (no boot, no image pull) on the reference instance type.
   */
  readonly warm: boolean;
  /** Share of billed GPU time spent on boot, image pull, any JIT and model load. */
  readonly startupShare: number;
  /** Share of billed GPU time idle before scale-in. */
  readonly idleShare: number;
  /** Share of billed GPU time scoring records. */
  readonly scoringShare: number;
  readonly gpu: Readonly<Record<GpuInstanceType, GpuCost>>;
  readonly services: ServiceCost;
  /** Latency on the reference instance type. */
  readonly latency: Latency;
}

export class CostModelInputError extends Error {
  override readonly name = 'CostModelInputError';
}

const SECONDS_PER_DAY = 86_400;
/** EC2 bills Linux instances per second with a 60-second minimum per start. */
const MINIMUM_BILLED_SECONDS = 60;

function requirePositive(values: Record<string, number>): void {
  const bad = Object.entries(values)
    .filter(([, value]) => !(Number.isFinite(value) && value > 0))
    .map(([field, value]) => `${field}: expected a positive number, got ${value}`);
  if (bad.length > 0) throw new CostModelInputError(bad.join('; '));
}

function validate(workload: Workload, thresholds: Thresholds, assumptions: Assumptions): void {
  requirePositive({ ...workload, ...thresholds });
  requirePositive({
    imageMegabytes: assumptions.imageMegabytes,
    imageCompressedShare: assumptions.imageCompressedShare,
    registryMegabytesPerSecond: assumptions.registryMegabytesPerSecond,
    inflateMegabytesPerSecond: assumptions.inflateMegabytesPerSecond,
    diskMegabytesPerSecond: assumptions.diskMegabytesPerSecond,
    batcherBatchSize: assumptions.batcherBatchSize,
    batcherWindowSeconds: assumptions.batcherWindowSeconds,
    batcherMemoryMiB: assumptions.batcherMemoryMiB,
    sweepPeriodSeconds: assumptions.sweepPeriodSeconds,
  });
  const nonNegative = Object.entries(assumptions)
    .filter(([, value]) => typeof value === 'number' && !(value >= 0))
    .map(([field, value]) => `${field}: expected a number >= 0, got ${value}`);
  if (!(assumptions.imageCompressedShare <= 1)) {
    nonNegative.push(
      `imageCompressedShare: expected a fraction up to 1, got ${assumptions.imageCompressedShare}`,
    );
  }
  if (!(assumptions.spotDiscount < 1)) {
    nonNegative.push(`spotDiscount: expected a fraction below 1, got ${assumptions.spotDiscount}`);
  }
  if (nonNegative.length > 0) throw new CostModelInputError(nonNegative.join('; '));
}

/**
 * Files in one batch and why it closes, at a steady arrival rate: the first threshold reached
 * wins. A batch always holds at least one file.
 */
export function batchFill(
  workload: Workload,
  thresholds: Thresholds,
): { filesPerBatch: number; closeReason: CloseReason } {
  const perSecond = workload.arrivalsPerHour / 3600;
  const candidates: [CloseReason, number][] = [
    ['max-files', thresholds.maxBatchFiles],
    ['max-bytes', Math.max(1, Math.floor(thresholds.maxBatchBytes / workload.meanObjectBytes))],
    ['max-wait', perSecond * thresholds.maxBatchWaitSeconds],
  ];
  const [closeReason, files] = candidates.reduce((best, next) => (next[1] < best[1] ? next : best));
  return { filesPerBatch: Math.max(1, files), closeReason };
}

function serviceCost(
  filesPerDay: number,
  recordsPerObject: number,
  batchesPerDay: number,
  jobsPerDay: number,
  assumptions: Assumptions,
  prices: ServicePrices,
): ServiceCost {
  const perSecond = filesPerDay / SECONDS_PER_DAY;
  // The event source hands over what arrived in one batching window, up to the batch size.
  const messagesPerInvocation = Math.min(
    assumptions.batcherBatchSize,
    Math.max(1, perSecond * assumptions.batcherWindowSeconds),
  );
  const eventInvocations = filesPerDay / messagesPerInvocation;
  const imagesPerDay = filesPerDay * recordsPerObject;
  const sweepInvocations = SECONDS_PER_DAY / assumptions.sweepPeriodSeconds;
  const invocations = eventInvocations + sweepInvocations;
  const gbSeconds =
    (assumptions.batcherMemoryMiB / 1024) *
    ((invocations * assumptions.lambdaBaseMs + filesPerDay * assumptions.lambdaPerMessageMs) /
      1000);
  const lambdaPerDay =
    (invocations / 1e6) * prices.lambdaPerMillionRequests.usd +
    gbSeconds * prices.lambdaPerGbSecond.usd;
  // Per file: the S3 notification's SendMessage; receives and deletes go 10 messages a call.
  const sqsRequests =
    filesPerDay * 1.2 + (assumptions.sqsIdlePollers * SECONDS_PER_DAY) / 20 + batchesPerDay;
  const sqsPerDay = (sqsRequests / 1e6) * prices.sqsPerMillionRequests.usd;
  const puts = batchesPerDay + jobsPerDay * assumptions.s3PutsPerShard;
  const gets = filesPerDay + jobsPerDay * assumptions.s3GetsPerShard;
  const s3PerDay =
    (puts / 1000) * prices.s3PutPerThousand.usd + (gets / 1000) * prices.s3GetPerThousand.usd;
  const dynamoPerDay =
    ((filesPerDay * assumptions.dynamoWritesPerFile) / 1e6) * prices.dynamoPerMillionWrites.usd +
    ((filesPerDay * assumptions.dynamoReadsPerFile) / 1e6) * prices.dynamoPerMillionReads.usd;
  const natPerDay = assumptions.natGateways * 24 * prices.natGatewayPerHour.usd;
  const perDay = lambdaPerDay + sqsPerDay + s3PerDay + dynamoPerDay + natPerDay;
  return {
    lambdaPerDay,
    sqsPerDay,
    s3PerDay,
    dynamoPerDay,
    natPerDay,
    perDay,
    perMillion: (perDay / imagesPerDay) * 1e6,
  };
}

export interface JobTiming {
  readonly warm: boolean;
  readonly billedSeconds: number;
  /**
   * Billed seconds before scoring starts: cold, boot + image pull + any PTX JIT + model load;
   * warm, the JIT (a new container process) and the model load.
   */
  readonly startupSeconds: number;
  readonly idleSeconds: number;
  readonly inferenceSeconds: number;
}

/**
 * Billed time of one array child on `type`. Cold: a fresh instance boots, pulls the image,
 * scores its shard and idles until scale-in. Warm (batches arrive more often than an instance
 * scales in): the instance is still up with the image cached, so a job pays only its process
 * start-up, and the instance is billed for the whole interval between batches (busy or idle),
 * never less than the job itself.
 */
export function jobTiming(
  recordsPerJob: number,
  recordsPerSecondOnType: number,
  secondsBetweenBatches: number,
  a: Assumptions,
  type: GpuInstanceType,
): JobTiming {
  const inferenceSeconds = recordsPerJob / recordsPerSecondOnType;
  const warmStartup = ptxJitSeconds(a, type) + a.modelLoadSeconds;
  const busy = warmStartup + inferenceSeconds;
  const warm = secondsBetweenBatches <= busy + a.scaleDownIdleSeconds;
  if (warm) {
    const billedSeconds = Math.max(busy, secondsBetweenBatches);
    return {
      warm,
      billedSeconds,
      startupSeconds: warmStartup,
      idleSeconds: billedSeconds - busy,
      inferenceSeconds,
    };
  }
  const startupSeconds = coldStart(a, type).totalSeconds;
  return {
    warm,
    billedSeconds: Math.max(
      MINIMUM_BILLED_SECONDS,
      startupSeconds + inferenceSeconds + a.scaleDownIdleSeconds,
    ),
    startupSeconds,
    idleSeconds: a.scaleDownIdleSeconds,
    inferenceSeconds,
  };
}

/**
 * The steady-state cost and latency of the pipeline for one workload and one set of
 * thresholds, with the compute environment scaling to zero between batches that are further
 * apart than the scale-in delay.
 */
export function costScenario(
  workload: Workload,
  thresholds: Thresholds,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
  referenceType: GpuInstanceType = 'g4dn.xlarge',
  prices: ServicePrices = SERVICE_PRICES,
): CostScenario {
  validate(workload, thresholds, assumptions);
  const filesPerDay = (workload.arrivalsPerHour / 3600) * SECONDS_PER_DAY;
  const { filesPerBatch, closeReason } = batchFill(workload, thresholds);
  const batchesPerDay = filesPerDay / filesPerBatch;
  const shardsPerBatch = Math.ceil(filesPerBatch / thresholds.shardSize);
  const jobsPerDay = batchesPerDay * shardsPerBatch;
  const filesPerJob = filesPerBatch / shardsPerBatch;

  const imagesPerDay = filesPerDay * workload.recordsPerObject;
  const recordsPerJob = filesPerJob * workload.recordsPerObject;
  const rates = Object.fromEntries(
    GPU_INSTANCE_TYPES.map((type) => [
      type,
      recordsPerSecond(
        assumptions.rates,
        type,
        workload.meanObjectBytes,
        workload.recordsPerObject,
      ),
    ]),
  ) as Record<GpuInstanceType, number>;
  const rateOn = (type: GpuInstanceType) => rates[type];
  const secondsBetweenBatches = SECONDS_PER_DAY / batchesPerDay;
  const timing = (type: GpuInstanceType) =>
    jobTiming(recordsPerJob, rateOn(type), secondsBetweenBatches, assumptions, type);

  const gpu = Object.fromEntries(
    GPU_INSTANCE_TYPES.map((type) => {
      const seconds = timing(type).billedSeconds;
      const onDemandPerDay = (jobsPerDay * seconds * GPU_PRICES[type].onDemandPerHour.usd) / 3600;
      const spotPerDay = onDemandPerDay * (1 - assumptions.spotDiscount);
      const cost: GpuCost = {
        onDemandPerDay,
        spotPerDay,
        onDemandPerMillion: (onDemandPerDay / imagesPerDay) * 1e6,
        spotPerMillion: (spotPerDay / imagesPerDay) * 1e6,
        meanInstances: (jobsPerDay * seconds) / SECONDS_PER_DAY,
      };
      return [type, cost];
    }),
  ) as Record<GpuInstanceType, GpuCost>;

  const reference = timing(referenceType);
  const perSecond = workload.arrivalsPerHour / 3600;
  const fillSeconds = Math.min(filesPerBatch / perSecond, thresholds.maxBatchWaitSeconds);
  // A batch closed by max wait is noticed at the next sweep: half a period late on average.
  const sweepDelayMean = closeReason === 'max-wait' ? assumptions.sweepPeriodSeconds / 2 : 0;
  const sweepDelayWorst = closeReason === 'max-wait' ? assumptions.sweepPeriodSeconds : 0;
  const jobStartSeconds =
    (reference.warm ? assumptions.warmSchedulingSeconds : assumptions.schedulingSeconds) +
    reference.startupSeconds;
  // Results are written when the shard ends, so every file waits for its whole shard.
  const inferenceSeconds = reference.inferenceSeconds;
  const accumulateMeanSeconds =
    fillSeconds / 2 + sweepDelayMean + assumptions.batcherWindowSeconds / 2;
  const latency: Latency = {
    accumulateMeanSeconds,
    jobStartSeconds,
    inferenceSeconds,
    meanSeconds: accumulateMeanSeconds + jobStartSeconds + inferenceSeconds,
    worstSeconds:
      fillSeconds +
      sweepDelayWorst +
      assumptions.batcherWindowSeconds +
      jobStartSeconds +
      inferenceSeconds,
  };

  const startupShare = reference.startupSeconds / reference.billedSeconds;
  const idleShare = reference.idleSeconds / reference.billedSeconds;
  return {
    filesPerDay,
    imagesPerDay,
    recordsPerSecond: rateOn(referenceType),
    filesPerBatch,
    closeReason,
    batchesPerDay,
    jobsPerDay,
    filesPerJob,
    billedSecondsPerJob: reference.billedSeconds,
    warm: reference.warm,
    startupShare,
    idleShare,
    scoringShare: reference.inferenceSeconds / reference.billedSeconds,
    gpu,
    services: serviceCost(
      filesPerDay,
      workload.recordsPerObject,
      batchesPerDay,
      jobsPerDay,
      assumptions,
      prices,
    ),
    latency,
  };
}
