import { Assumptions, DEFAULT_ASSUMPTIONS } from '../../../scripts/cost/cost-model';
import { constantRate } from '../../../scripts/cost/measured-rates';
import {
  Candidate,
  defaultGrid,
  evaluateGrid,
  optimise,
  OptimiserGrid,
  paretoFrontier,
} from '../../../scripts/cost/cost-optimiser';
import { GPU_PRICES } from '../../../scripts/cost/cost-prices';
import { FIXED_RATE_ASSUMPTIONS, REFERENCE_WORKLOAD } from '../../helpers/cost-fixtures';

const GIB = 1024 ** 3;
const workload = REFERENCE_WORKLOAD;
const assumptions = FIXED_RATE_ASSUMPTIONS;
const grid: OptimiserGrid = {
  maxBatchFiles: [5_000, 20_000, 40_000],
  maxBatchWaitSeconds: [60, 300, 900, 1_320, 1_800],
  shardSizes: [5_000, 20_000, 40_000],
  instanceTypes: ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'],
  markets: ['spot', 'on-demand'],
  maxBatchBytes: 10 * GIB,
};

const dominates = (a: Candidate, b: Candidate) =>
  a.worstSeconds <= b.worstSeconds &&
  a.costPerMillion <= b.costPerMillion &&
  (a.worstSeconds < b.worstSeconds || a.costPerMillion < b.costPerMillion);

describe('optimise', () => {
  const bounds = [5, 10, 20, 30, 45, 60].map((minutes) => minutes * 60);

  it('recommends a setting within the latency bound', () => {
    // given the grid above at 100,000 files an hour
    for (const bound of bounds) {
      // when it optimises for each bound
      const { recommendation } = optimise(workload, bound, assumptions, grid);
      // then the recommendation's worst-case latency is within it
      expect(recommendation).toBeDefined();
      expect(recommendation!.worstSeconds).toBeLessThanOrEqual(bound);
    }
  });

  it('recommends the cheapest of all the settings within the bound', () => {
    // given every candidate of the grid
    const candidates = evaluateGrid(workload, assumptions, grid);
    // when it optimises for 30 minutes
    const { recommendation } = optimise(workload, 1_800, assumptions, grid);
    // then nothing within 30 minutes is cheaper
    const feasible = candidates.filter((c) => c.worstSeconds <= 1_800);
    expect(recommendation!.costPerMillion).toBe(Math.min(...feasible.map((c) => c.costPerMillion)));
  });

  it('never finds a lower cost under a tighter bound', () => {
    // given bounds from 5 to 60 minutes
    // when it optimises for each
    const costs = bounds.map((b) => optimise(workload, b, assumptions, grid).recommendation!);
    // then each looser bound costs at most what the tighter one did
    for (let i = 1; i < costs.length; i++) {
      expect(costs[i].costPerMillion).toBeLessThanOrEqual(costs[i - 1].costPerMillion);
    }
  });

  it('recommends nothing when no setting meets the bound', () => {
    // given a one-minute bound (scheduling and the batching window alone exceed it)
    // when it optimises
    const optimum = optimise(workload, 60, assumptions, grid);
    // then there is no recommendation, and the frontier still shows what is reachable
    expect(optimum.recommendation).toBeUndefined();
    expect(optimum.frontier[0].worstSeconds).toBeGreaterThan(60);
  });

  it('finds the hand-computed optimum of a small case', () => {
    // given 1 file/s, 10 records/s, a 100 s cold start (99 s boot + 1 s pull), 100 s idle
    // before scale-in, no scheduling delay, and one shard per batch
    const simple: Assumptions = {
      ...DEFAULT_ASSUMPTIONS,
      rates: constantRate(10, 'test'),
      bootSeconds: 99,
      imageMegabytes: 1,
      imageCompressedShare: 1,
      registryMegabytesPerSecond: 1,
      inflateMegabytesPerSecond: 1,
      diskMegabytesPerSecond: 1,
      modelLoadSeconds: 0,
      schedulingSeconds: 0,
      warmSchedulingSeconds: 0,
      scaleDownIdleSeconds: 100,
    };
    const small: OptimiserGrid = {
      maxBatchFiles: [100_000],
      maxBatchWaitSeconds: [600, 1_200],
      shardSizes: [100_000],
      instanceTypes: ['g4dn.xlarge'],
      markets: ['spot'],
      maxBatchBytes: 10 * GIB,
    };
    const perSecond =
      (GPU_PRICES['g4dn.xlarge'].onDemandPerHour.usd * (1 - simple.spotDiscount)) / 3600;
    const oneFilePerSecond = { ...workload, arrivalsPerHour: 3_600 };
    // when it optimises for 1,000 s and for 2,000 s
    const tight = optimise(oneFilePerSecond, 1_000, simple, small).recommendation!;
    const loose = optimise(oneFilePerSecond, 2_000, simple, small).recommendation!;
    // then a 600 s wait: 600 files, cold, billed 100 + 60 + 100 = 260 s; worst latency
    // 600 fill + 60 sweep + 20 window + 100 start + 60 scoring = 840 s
    expect(tight.thresholds.maxBatchWaitSeconds).toBe(600);
    expect(tight.worstSeconds).toBeCloseTo(840);
    expect(tight.gpuPerMillion).toBeCloseTo((260 / 600) * perSecond * 1e6);
    // and a 1,200 s wait: billed 100 + 120 + 100 = 320 s for 1,200 files; worst 1,500 s
    expect(loose.thresholds.maxBatchWaitSeconds).toBe(1_200);
    expect(loose.worstSeconds).toBeCloseTo(1_500);
    expect(loose.gpuPerMillion).toBeCloseTo((320 / 1_200) * perSecond * 1e6);
  });

  it('rejects a bound that is not positive, naming it', () => {
    // given a zero bound
    // when it optimises
    // then the error names maxWorstSeconds
    expect(() => optimise(workload, 0, assumptions, grid)).toThrow(/maxWorstSeconds/);
  });
});

describe('paretoFrontier', () => {
  it('keeps no point another candidate beats on both latency and cost', () => {
    // given every candidate of the grid
    const candidates = evaluateGrid(workload, assumptions, grid);
    // when the frontier is taken
    const frontier = paretoFrontier(candidates);
    // then no candidate dominates a frontier point, and it runs from fastest to cheapest
    expect(frontier.length).toBeGreaterThan(1);
    for (const point of frontier) {
      expect(candidates.some((c) => dominates(c, point))).toBe(false);
    }
    for (let i = 1; i < frontier.length; i++) {
      expect(frontier[i].worstSeconds).toBeGreaterThan(frontier[i - 1].worstSeconds);
      expect(frontier[i].costPerMillion).toBeLessThan(frontier[i - 1].costPerMillion);
    }
  });

  it('keeps every candidate nothing dominates', () => {
    // given every candidate
    const candidates = evaluateGrid(workload, assumptions, grid);
    const frontier = paretoFrontier(candidates);
    // when the non-dominated ones are found by brute force
    const undominated = candidates.filter((p) => !candidates.some((c) => dominates(c, p)));
    // then each has a frontier point with the same latency and cost
    for (const p of undominated) {
      expect(
        frontier.some(
          (f) => f.worstSeconds === p.worstSeconds && f.costPerMillion === p.costPerMillion,
        ),
      ).toBe(true);
    }
  });
});

describe('defaultGrid', () => {
  it('tries whole minutes the config accepts and shard sizes up to max files', () => {
    // given the default grid
    const g = defaultGrid(10 * GIB);
    // when its values are read
    // then waits are whole minutes from 60 s and every candidate shard fits its max files
    expect(g.maxBatchWaitSeconds.every((s) => s >= 60 && s % 60 === 0)).toBe(true);
    const candidates = evaluateGrid(workload, assumptions, {
      ...g,
      maxBatchWaitSeconds: [900],
      instanceTypes: ['g4dn.xlarge'],
    });
    expect(candidates.every((c) => c.thresholds.shardSize <= c.thresholds.maxBatchFiles)).toBe(
      true,
    );
  });
});
