import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ASSUMPTIONS } from '../../../scripts/cost/cost-model';
import { costInputs } from '../../../scripts/cost/cost-cli-args';

describe('cost-model CLI arguments', () => {
  it('reads --optimize and the latency bound in minutes', () => {
    // given --optimize with a 20-minute bound
    // when the arguments are read
    const { optimize, inputs } = costInputs(['--optimize', '--max-latency', '20']);
    // then the optimiser runs with a 1,200 s bound
    expect(optimize).toBe(true);
    expect(inputs.maxWorstSeconds).toBe(1_200);
  });

  it('bounds latency at 30 minutes and uses the measured rates by default', () => {
    // given no arguments
    // when they are read
    const { optimize, inputs } = costInputs([]);
    // then the docs' bound and the shipped table apply
    expect(optimize).toBe(false);
    expect(inputs.maxWorstSeconds).toBe(1_800);
    expect(inputs.assumptions.rates).toBe(DEFAULT_ASSUMPTIONS.rates);
  });

  it('takes a rates file or one rate for everything', () => {
    // given a rates file
    const dir = mkdtempSync(join(tmpdir(), 'cost-cli-'));
    try {
      const file = join(dir, 'rates.json');
      const row = { objectBytes: 500, recordsPerObject: 1, recordsPerSecond: 900, source: 'x' };
      writeFileSync(file, JSON.stringify({ rows: [row] }));
      // when it is passed, or a single rate is
      const fromFile = costInputs(['--rates', file]).inputs.assumptions.rates;
      const single = costInputs(['--images-per-second', '640']).inputs.assumptions.rates;
      // then the model uses those rates
      expect(fromFile.rows).toEqual([row]);
      expect(single.rows.map((r) => r.recordsPerSecond)).toEqual([640]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
