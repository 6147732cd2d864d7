import { optimise, OptimiserGrid } from '../../../scripts/cost/cost-optimiser';
import {
  frontierTable,
  recommendationSummary,
  thinFrontier,
} from '../../../scripts/cost/optimiser-report';
import { FIXED_RATE_ASSUMPTIONS, REFERENCE_WORKLOAD } from '../../helpers/cost-fixtures';

const workload = REFERENCE_WORKLOAD;
const assumptions = FIXED_RATE_ASSUMPTIONS;
const grid: OptimiserGrid = {
  maxBatchFiles: [5_000, 20_000, 40_000],
  maxBatchWaitSeconds: [60, 300, 600, 900, 1_320, 1_800],
  shardSizes: [5_000, 20_000, 40_000],
  instanceTypes: ['g4dn.xlarge'],
  markets: ['spot'],
  maxBatchBytes: 10 * 1024 ** 3,
};
const previous = {
  maxBatchFiles: 20_000,
  maxBatchBytes: 10 * 1024 ** 3,
  maxBatchWaitSeconds: 900,
  shardSize: 5_000,
};

describe('recommendationSummary', () => {
  const optimum = optimise(workload, 1_800, assumptions, grid);
  const r = optimum.recommendation!;

  it('says the goal is met when the recommendation costs at most baseline / factor', () => {
    // given a baseline just over five times the recommendation's GPU cost
    const goal = { label: 'the baseline', baselinePerMillion: r.gpuPerMillion * 5.01, factor: 5 };
    // when the summary is written
    const text = recommendationSummary(optimum, workload, assumptions, previous, goal);
    // then it names the settings and says the goal is met
    expect(text).toContain(`max wait ${r.thresholds.maxBatchWaitSeconds / 60} min`);
    expect(text).toContain('**Goal met**');
  });

  it('says the goal is missed and names the largest term when it costs more', () => {
    // given a baseline that only a free GPU would meet
    const goal = { label: 'the baseline', baselinePerMillion: r.gpuPerMillion, factor: 5 };
    // when the summary is written
    const text = recommendationSummary(optimum, workload, assumptions, previous, goal);
    // then it says missed and which term sets the floor
    expect(text).toContain('**Goal missed**');
    expect(text).toMatch(/The floor is set by (start-up|scoring|idle)/);
  });

  it('says when no setting meets the bound', () => {
    // given a one-minute bound
    const none = optimise(workload, 60, assumptions, grid);
    // when the summary is written
    const text = recommendationSummary(none, workload, assumptions, previous, {
      label: 'x',
      baselinePerMillion: 1,
      factor: 5,
    });
    // then it names the fastest reachable latency instead
    expect(text).toMatch(/^No setting of the/);
  });
});

describe('thinFrontier', () => {
  it('keeps the ends and the recommendation within the row limit plus one', () => {
    // given a long frontier and a recommendation in the middle of it
    const { frontier } = optimise(workload, 1_800, assumptions, {
      ...grid,
      maxBatchWaitSeconds: Array.from({ length: 40 }, (_, i) => (i + 1) * 60),
    });
    const keep = frontier[Math.floor(frontier.length / 2) + 1];
    // when it is thinned to 4 rows
    const rows = thinFrontier(frontier, 4, keep);
    // then the first, last and kept points are there, in frontier order
    expect(frontier.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThanOrEqual(5);
    expect(rows[0]).toBe(frontier[0]);
    expect(rows.at(-1)).toBe(frontier.at(-1));
    expect(rows).toContain(keep);
    expect(frontierTable(rows, keep)).toContain('(recommended)');
  });
});
