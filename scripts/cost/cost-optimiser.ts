import { Assumptions, costScenario, CostScenario, Thresholds, Workload } from './cost-model';
import { GPU_INSTANCE_TYPES, GpuInstanceType } from './cost-prices';

export type Market = 'spot' | 'on-demand';

/** The settings the optimiser tries: every combination, shard sizes up to max files. */
export interface OptimiserGrid {
  readonly maxBatchFiles: readonly number[];
  readonly maxBatchWaitSeconds: readonly number[];
  readonly shardSizes: readonly number[];
  readonly instanceTypes: readonly GpuInstanceType[];
  readonly markets: readonly Market[];
  /** Held fixed: with small objects max bytes never closes a batch first. */
  readonly maxBatchBytes: number;
}

/** 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 per decade: round values a config would carry. */
function roundValues(from: number, to: number): number[] {
  const steps = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5];
  const values: number[] = [];
  for (let decade = 1; decade <= to; decade *= 10) {
    for (const step of steps) {
      const value = step * decade;
      if (value >= from && value <= to) values.push(value);
    }
  }
  return values;
}

/**
 * Max wait in whole minutes (the config takes integer seconds from 60), max files and shard
 * sizes from 1,000 to 200,000, every instance type, spot and on-demand.
 */
export function defaultGrid(maxBatchBytes: number): OptimiserGrid {
  return {
    maxBatchFiles: roundValues(1_000, 200_000),
    maxBatchWaitSeconds: Array.from({ length: 60 }, (_, i) => (i + 1) * 60),
    shardSizes: roundValues(1_000, 200_000),
    instanceTypes: GPU_INSTANCE_TYPES,
    markets: ['spot', 'on-demand'],
    maxBatchBytes,
  };
}

/** One setting the optimiser evaluated: cost per million images and latency in seconds. */
export interface Candidate {
  readonly thresholds: Thresholds;
  readonly instanceType: GpuInstanceType;
  readonly market: Market;
  readonly gpuPerMillion: number;
  readonly servicesPerMillion: number;
  /** GPU + Lambda + SQS + S3 + DynamoDB + NAT: what the optimiser minimises. */
  readonly costPerMillion: number;
  readonly worstSeconds: number;
  readonly meanSeconds: number;
}

/** Every setting of the grid at one workload. */
export function evaluateGrid(
  workload: Workload,
  assumptions: Assumptions,
  grid: OptimiserGrid,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const maxBatchFiles of grid.maxBatchFiles) {
    for (const shardSize of grid.shardSizes.filter((size) => size <= maxBatchFiles)) {
      for (const maxBatchWaitSeconds of grid.maxBatchWaitSeconds) {
        const thresholds: Thresholds = {
          maxBatchFiles,
          maxBatchBytes: grid.maxBatchBytes,
          maxBatchWaitSeconds,
          shardSize,
        };
        for (const instanceType of grid.instanceTypes) {
          const s = costScenario(workload, thresholds, assumptions, instanceType);
          for (const market of grid.markets) {
            const gpu = s.gpu[instanceType];
            const gpuPerMillion = market === 'spot' ? gpu.spotPerMillion : gpu.onDemandPerMillion;
            candidates.push({
              thresholds,
              instanceType,
              market,
              gpuPerMillion,
              servicesPerMillion: s.services.perMillion,
              costPerMillion: gpuPerMillion + s.services.perMillion,
              worstSeconds: s.latency.worstSeconds,
              meanSeconds: s.latency.meanSeconds,
            });
          }
        }
      }
    }
  }
  return candidates;
}

/**
 * The candidates no other beats on both worst-case latency and cost, from the fastest to the
 * cheapest: each point is cheaper than every faster one. Of settings tied on both, the first.
 */
export function paretoFrontier(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort(
    (a, b) => a.worstSeconds - b.worstSeconds || a.costPerMillion - b.costPerMillion,
  );
  const frontier: Candidate[] = [];
  for (const candidate of sorted) {
    const cheapest = frontier.at(-1)?.costPerMillion ?? Infinity;
    if (candidate.costPerMillion < cheapest) frontier.push(candidate);
  }
  return frontier;
}

export interface Optimum {
  readonly maxWorstSeconds: number;
  /** The cheapest setting whose worst-case latency is within the bound; none when none is. */
  readonly recommendation?: Candidate;
  readonly frontier: readonly Candidate[];
  readonly evaluated: number;
}

/**
 * Minimises cost per million images (GPU + services) under a worst-case latency bound for one
 * arrival rate and object size. The cheapest feasible setting is a frontier point (anything
 * beating it on both counts would be feasible and cheaper), namely the last one within the
 * bound, so the recommendation comes from the frontier.
 */
export function optimise(
  workload: Workload,
  maxWorstSeconds: number,
  assumptions: Assumptions,
  grid: OptimiserGrid,
): Optimum {
  if (!(maxWorstSeconds > 0)) {
    throw new RangeError(`maxWorstSeconds: expected a positive number, got ${maxWorstSeconds}`);
  }
  const candidates = evaluateGrid(workload, assumptions, grid);
  const frontier = paretoFrontier(candidates);
  const recommendation = frontier.filter((c) => c.worstSeconds <= maxWorstSeconds).at(-1);
  return {
    maxWorstSeconds,
    frontier,
    evaluated: candidates.length,
    ...(recommendation ? { recommendation } : {}),
  };
}

/** The whole cost scenario of a candidate, for its breakdown. */
export function candidateScenario(
  c: Candidate,
  workload: Workload,
  assumptions: Assumptions,
): CostScenario {
  return costScenario(workload, c.thresholds, assumptions, c.instanceType);
}
