import { Assumptions, DEFAULT_ASSUMPTIONS, Workload } from '../../scripts/cost/cost-model';
import { constantRate } from '../../scripts/cost/measured-rates';

/** docs/cost.md's reference workload: 100,000 small files an hour, one record each. */
export const REFERENCE_WORKLOAD: Workload = {
  arrivalsPerHour: 100_000,
  meanObjectBytes: 2_000,
  recordsPerObject: 1,
};

/** The model's defaults at a fixed 164 records/s, so results do not move with the rate table. */
export const FIXED_RATE_ASSUMPTIONS: Assumptions = {
  ...DEFAULT_ASSUMPTIONS,
  rates: constantRate(164, 'test'),
};
