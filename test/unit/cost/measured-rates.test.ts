import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RATES_FILE } from '../../../scripts/cost/cost-model';
import {
  MeasuredRate,
  MeasuredRatesError,
  parseMeasuredRates,
  readMeasuredRates,
  recordsPerSecond,
  upsertMeasuredRates,
} from '../../../scripts/cost/measured-rates';

const row = (overrides: Partial<MeasuredRate> = {}): MeasuredRate => ({
  objectBytes: 1_000,
  recordsPerObject: 1,
  recordsPerSecond: 100,
  source: 'test',
  ...overrides,
});

describe('recordsPerSecond', () => {
  const table = {
    rows: [
      row({ objectBytes: 1_000, recordsPerSecond: 100 }),
      row({ objectBytes: 100_000, recordsPerSecond: 10 }),
      row({ objectBytes: 1_000, recordsPerObject: 100, recordsPerSecond: 10_000 }),
    ],
  };

  it('returns a measured point as measured', () => {
    // given the table above
    // when the rate at a measured size is looked up
    // then it is the measured rate
    expect(recordsPerSecond(table, 'g4dn.xlarge', 100_000, 1)).toBe(10);
  });

  it('follows a power law between two measured object sizes', () => {
    // given 100 records/s at 1 kB and 10 at 100 kB
    // when the rate at 10 kB (halfway on a log axis) is looked up
    // then it is the geometric mean, 31.6
    expect(recordsPerSecond(table, 'g4dn.xlarge', 10_000, 1)).toBeCloseTo(Math.sqrt(1_000));
  });

  it('interpolates between the records-per-object groups', () => {
    // given 100 records/s at 1 record per object and 10,000 at 100, both at 1 kB
    // when 10 records per object are looked up
    // then the rate is halfway on a log axis: 1,000
    expect(recordsPerSecond(table, 'g4dn.xlarge', 1_000, 10)).toBeCloseTo(1_000);
  });

  it('clamps outside the measured range instead of extrapolating', () => {
    // given measurements from 1 kB to 100 kB
    // when 10 bytes and 10 MB are looked up
    // then the nearest measured rates come back
    expect(recordsPerSecond(table, 'g4dn.xlarge', 10, 1)).toBe(100);
    expect(recordsPerSecond(table, 'g4dn.xlarge', 10_000_000, 1)).toBe(10);
  });

  it("prefers an instance type's own rows over the rows for every type", () => {
    // given a generic row and one measured on g5
    const typed = { rows: [row(), row({ instanceType: 'g5.xlarge', recordsPerSecond: 400 })] };
    // when each type is looked up
    // then g5 uses its own and g4dn the generic one
    expect(recordsPerSecond(typed, 'g5.xlarge', 1_000, 1)).toBe(400);
    expect(recordsPerSecond(typed, 'g4dn.xlarge', 1_000, 1)).toBe(100);
  });
});

describe('parseMeasuredRates', () => {
  it('names the row and field of a bad rate', () => {
    // given a row with a zero rate
    // when the table is parsed
    // then the error names rows[1].recordsPerSecond
    expect(() => parseMeasuredRates({ rows: [row(), row({ recordsPerSecond: 0 })] })).toThrow(
      /rows\[1\]\.recordsPerSecond/,
    );
  });

  it('rejects an unknown instance type and a row without a source', () => {
    // given each bad row
    // when parsed
    // then the errors name the field
    expect(() => parseMeasuredRates({ rows: [{ ...row(), instanceType: 'p5.48xlarge' }] })).toThrow(
      /rows\[0\]\.instanceType/,
    );
    expect(() => parseMeasuredRates({ rows: [{ ...row(), source: '' }] })).toThrow(
      /rows\[0\]\.source/,
    );
    expect(() => parseMeasuredRates({ rows: [] })).toThrow(MeasuredRatesError);
  });

  it('reads the shipped docs/measured-rates.json', () => {
    // given the file the cost model reads by default
    // when it is read
    const table = readMeasuredRates(DEFAULT_RATES_FILE);
    // then every row has a source saying what measured it
    expect(table.rows.length).toBeGreaterThan(0);
    for (const r of table.rows) expect(r.source).toMatch(/benchmarks\.md/);
  });
});

describe('upsertMeasuredRates', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rates-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the rows of the same point and keeps the others', () => {
    // given a file with two points
    const file = join(dir, 'rates.json');
    writeFileSync(file, JSON.stringify({ rows: [row(), row({ objectBytes: 5_000 })] }));
    // when a bench writes a new rate for the first point and a new point
    upsertMeasuredRates(file, [
      row({ recordsPerSecond: 250, source: 'new' }),
      row({ recordsPerObject: 50, source: 'new' }),
    ]);
    // then the first is replaced, the second kept, the third added
    const rows = (JSON.parse(readFileSync(file, 'utf-8')) as { rows: MeasuredRate[] }).rows;
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.objectBytes === 1_000 && r.recordsPerObject === 1)).toMatchObject({
      recordsPerSecond: 250,
    });
    expect(rows.some((r) => r.objectBytes === 5_000)).toBe(true);
  });

  it('creates the file when there is none', () => {
    // given no file
    const file = join(dir, 'new.json');
    // when rows are written
    upsertMeasuredRates(file, [row()]);
    // then the file holds them
    expect(readMeasuredRates(file).rows).toEqual([row()]);
  });
});
