import {
  Assumptions,
  batchFill,
  CostModelInputError,
  costScenario,
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  jobTiming,
  Thresholds,
  Workload,
} from '../../../scripts/cost/cost-model';
import { GPU_PRICES } from '../../../scripts/cost/cost-prices';
import { constantRate } from '../../../scripts/cost/measured-rates';
import { coldStart } from '../../../scripts/cost/startup-model';

const workload = (arrivalsPerHour: number): Workload => ({
  arrivalsPerHour,
  meanObjectBytes: 2_000,
  recordsPerObject: 1,
});
const thresholds = (overrides: Partial<Thresholds> = {}): Thresholds => ({
  ...DEFAULT_THRESHOLDS,
  ...overrides,
});
const assumptions = (overrides: Partial<Assumptions> = {}): Assumptions => ({
  ...DEFAULT_ASSUMPTIONS,
  ...overrides,
});

describe('batchFill', () => {
  it('closes by max wait when fewer files than max files arrive within the wait', () => {
    // given 3,600 files an hour and a 60 s wait
    // when the batch is filled
    const fill = batchFill(workload(3_600), thresholds({ maxBatchWaitSeconds: 60 }));
    // then it holds the 60 files of one minute
    expect(fill).toEqual({ filesPerBatch: 60, closeReason: 'max-wait' });
  });

  it('closes by max files when they arrive before the wait ends', () => {
    // given a million files an hour
    // when the batch is filled
    const fill = batchFill(workload(1_000_000), thresholds({ maxBatchFiles: 1_000 }));
    // then max files closes it
    expect(fill).toEqual({ filesPerBatch: 1_000, closeReason: 'max-files' });
  });

  it('closes by max bytes when the objects are large', () => {
    // given 1 MB objects and a 10 MB byte limit
    // when the batch is filled
    const fill = batchFill(
      { arrivalsPerHour: 1_000_000, meanObjectBytes: 1_000_000, recordsPerObject: 1 },
      thresholds({ maxBatchBytes: 10_000_000 }),
    );
    // then ten objects fill it
    expect(fill).toEqual({ filesPerBatch: 10, closeReason: 'max-bytes' });
  });

  it('gives every file a batch even when less than one arrives per wait', () => {
    // given one file an hour and a 60 s wait
    // when the batch is filled
    const fill = batchFill(workload(1), thresholds({ maxBatchWaitSeconds: 60 }));
    // then the batch still holds that one file
    expect(fill.filesPerBatch).toBe(1);
  });
});

describe('jobTiming', () => {
  it('bills boot, image pull, model load, scoring and idle for a cold start', () => {
    // given batches a day apart
    const a = assumptions();
    // when one 6,400-file job runs at 640 images/s
    const timing = jobTiming(6_400, 640, 86_400, a, 'g4dn.xlarge');
    // then every start-up second is billed
    const start = coldStart(a, 'g4dn.xlarge').totalSeconds;
    expect(timing.warm).toBe(false);
    expect(timing.billedSeconds).toBeCloseTo(start + 10 + a.scaleDownIdleSeconds);
    expect(timing.startupSeconds).toBe(start);
  });

  it('skips boot and image pull when the next batch arrives before scale-in', () => {
    // given batches 100 s apart, shorter than the scale-in delay
    const a = assumptions();
    // when a job runs
    const timing = jobTiming(6_400, 640, 100, a, 'g4dn.xlarge');
    // then only the model load is start-up, and the instance is billed for the interval
    expect(timing.warm).toBe(true);
    expect(timing.startupSeconds).toBe(a.modelLoadSeconds);
    expect(timing.billedSeconds).toBe(100);
  });

  it('bills at least the EC2 minimum of 60 seconds', () => {
    // given no start-up, no idle and a one-file job
    const a = assumptions({ bootSeconds: 0, imageMegabytes: 1e-9, modelLoadSeconds: 0 });
    // when it runs cold
    const timing = jobTiming(1, 640, 86_400, { ...a, scaleDownIdleSeconds: 0 }, 'g4dn.xlarge');
    // then 60 s are billed
    expect(timing.billedSeconds).toBe(60);
  });
});

describe('costScenario', () => {
  it('scores at the measured rate for the object size and divides cost by images, not files', () => {
    // given a rate of 100 records/s for 100-record objects and 10 records/s for single ones
    const rates = {
      rows: [
        { objectBytes: 2_000, recordsPerObject: 1, recordsPerSecond: 10, source: 'test' },
        { objectBytes: 2_000, recordsPerObject: 100, recordsPerSecond: 100, source: 'test' },
      ],
    };
    const a = assumptions({ rates });
    // when 1,000 files an hour of 100 records each are scored
    const s = costScenario({ ...workload(1_000), recordsPerObject: 100 }, thresholds(), a);
    // then the 100-record rate applies and per-million prices count the 100x images
    expect(s.recordsPerSecond).toBe(100);
    expect(s.imagesPerDay).toBe(s.filesPerDay * 100);
    expect(s.gpu['g4dn.xlarge'].spotPerMillion).toBeCloseTo(
      (s.gpu['g4dn.xlarge'].spotPerDay / s.imagesPerDay) * 1e6,
    );
    expect(s.latency.inferenceSeconds).toBeCloseTo((s.filesPerJob * 100) / 100);
  });

  it('splits billed GPU time into start-up, scoring and idle that add up to all of it', () => {
    // given a cold scenario (1,000 files an hour, batches an hour apart)
    const s = costScenario(
      workload(1_000),
      thresholds({ maxBatchWaitSeconds: 3_600 }),
      assumptions({ rates: constantRate(50, 'test') }),
    );
    // when its shares are read
    // then they cover the billed time
    expect(s.warm).toBe(false);
    expect(s.startupShare + s.scoringShare + s.idleShare).toBeCloseTo(1);
  });

  it('counts one GPU job per shard of each batch', () => {
    // given 20,000-file batches in 5,000-file shards
    // when the scenario is computed at 1,000,000 files an hour
    const s = costScenario(
      workload(1_000_000),
      thresholds({ maxBatchFiles: 20_000, shardSize: 5_000 }),
    );
    // then each of the 1,200 daily batches makes 4 jobs
    expect(s.batchesPerDay).toBeCloseTo(1_200);
    expect(s.jobsPerDay).toBeCloseTo(4_800);
    expect(s.filesPerJob).toBe(5_000);
  });

  it('prices spot at the stated discount off on-demand', () => {
    // given a 70% spot discount
    // when the scenario is computed
    const s = costScenario(workload(10_000), thresholds(), assumptions({ spotDiscount: 0.7 }));
    // then spot costs 30% of on-demand
    const g4dn = s.gpu['g4dn.xlarge'];
    expect(g4dn.spotPerMillion / g4dn.onDemandPerMillion).toBeCloseTo(0.3);
  });

  it('ranks instance types by hourly price when all score at the same rate', () => {
    // given the default assumption of one S3-bound rate for every type
    // when the scenario is computed
    const s = costScenario(workload(100_000), thresholds());
    // then cost follows the hourly price
    const ratio = s.gpu['g5.xlarge'].onDemandPerMillion / s.gpu['g4dn.xlarge'].onDemandPerMillion;
    expect(ratio).toBeCloseTo(
      GPU_PRICES['g5.xlarge'].onDemandPerHour.usd / GPU_PRICES['g4dn.xlarge'].onDemandPerHour.usd,
    );
  });

  it('cuts cold-start GPU cost per image when max wait grows at a low arrival rate', () => {
    // given 1,000 files an hour, cold starts at both settings
    const short = costScenario(workload(1_000), thresholds({ maxBatchWaitSeconds: 900 }));
    const long = costScenario(workload(1_000), thresholds({ maxBatchWaitSeconds: 3_600 }));
    // when the wait grows four-fold
    // then GPU cost per image falls and the mean latency rises
    expect(long.gpu['g4dn.xlarge'].spotPerMillion).toBeLessThan(
      short.gpu['g4dn.xlarge'].spotPerMillion,
    );
    expect(long.latency.meanSeconds).toBeGreaterThan(short.latency.meanSeconds);
  });

  it('adds the Lambda, SQS, S3, DynamoDB and NAT costs into the service total', () => {
    // given the default workload
    // when the scenario is computed
    const { services } = costScenario(workload(100_000), thresholds());
    // then the parts add up to the total
    expect(services.perDay).toBeCloseTo(
      services.lambdaPerDay +
        services.sqsPerDay +
        services.s3PerDay +
        services.dynamoPerDay +
        services.natPerDay,
    );
  });

  it('rejects a non-positive arrival rate naming the field', () => {
    // given a zero arrival rate
    // when the scenario is computed
    // then the error names arrivalsPerHour
    expect(() => costScenario(workload(0), thresholds())).toThrow(CostModelInputError);
    expect(() => costScenario(workload(0), thresholds())).toThrow(/arrivalsPerHour/);
  });

  it('rejects a spot discount of 1 or more naming the field', () => {
    // given a 100% discount
    // when the scenario is computed
    // then the error names spotDiscount
    expect(() =>
      costScenario(workload(1_000), thresholds(), assumptions({ spotDiscount: 1 })),
    ).toThrow(/spotDiscount/);
  });
});
