import {
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WORKLOAD,
} from '../../../scripts/cost/cost-model';
import { DOC_MAX_LATENCY_SECONDS } from '../../../scripts/cost/cost-doc';
import { defaultGrid, optimise } from '../../../scripts/cost/cost-optimiser';

describe('shipped batching thresholds', () => {
  it("are the optimiser's recommendation at the reference workload and the measured rates", () => {
    // given the reference workload, the rates in docs/measured-rates.json and the 30-minute bound
    const grid = defaultGrid(DEFAULT_THRESHOLDS.maxBatchBytes);

    // when the optimiser chooses
    const { recommendation } = optimise(
      DEFAULT_WORKLOAD,
      DOC_MAX_LATENCY_SECONDS,
      DEFAULT_ASSUMPTIONS,
      grid,
    );

    // then the stack ships exactly that setting (re-measured rates move it: re-choose them)
    expect(recommendation).toBeDefined();
    expect(recommendation!.thresholds).toEqual(DEFAULT_THRESHOLDS);
  });
});
