import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LatencyReport } from '../../../scripts/bench/io/bench-latency';
import { readMeasuredRates } from '../../../scripts/cost/measured-rates';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { runNode } from '../../../scripts/shared/run-node';

const REPO = join(__dirname, '..', '..', '..');

const run = (args: string[]) => runNode(args, { cwd: REPO });

// `npm run bench:latency` at its smallest, once, into a scratch docs folder holding a copy of
// the measured rates; the tests read what it wrote. No timing is asserted. It needs no emulator
// service: the bench starts its own S3 server (gofakes3) and latency proxy.
describeOnEmulator([], 'npm run bench:latency at the smallest size', () => {
  let docsDir: string;
  let report: LatencyReport;
  let benchmarks: string;

  beforeAll(async () => {
    docsDir = mkdtempSync(join(tmpdir(), 'bench-latency-docs-'));
    copyFileSync(join(REPO, 'docs', 'measured-rates.json'), join(docsDir, 'measured-rates.json'));
    const jsonFile = join(docsDir, 'report.json');
    const bench = await run([
      '--import',
      'tsx',
      'scripts/bench/io/bench-latency.ts',
      ...['--images', '100', '--in-flight', '16,64', '--rounds', '1', '--per-tar', '50'],
      ...['--server-seconds', '0.5', '--docs-dir', docsDir, '--json', jsonFile, '--write'],
    ]);
    if (bench.status !== 0) {
      throw new Error(`bench:latency exited ${bench.status}: ${bench.stderr.slice(-4000)}`);
    }
    report = JSON.parse(readFileSync(jsonFile, 'utf-8')) as LatencyReport;
    benchmarks = readFileSync(join(docsDir, 'benchmarks.md'), 'utf-8');
  }, 240_000);

  afterAll(() => rmSync(docsDir, { recursive: true, force: true }));

  it('measures every in-flight count end to end, with its efficiency against compute only', () => {
    // given the run above at 16 and 64 in flight
    const { result } = report;
    // when its rows are read
    // then each has a positive rate and an efficiency from the same round's compute rate
    expect(result.rows.map((row) => row.inFlight)).toEqual([16, 64]);
    expect(result.computeRates[0]).toBeGreaterThan(0);
    for (const row of result.rows) {
      expect(row.rates[0]).toBeGreaterThan(0);
      expect(row.efficiencies[0]).toBeCloseTo(row.rates[0] / result.computeRates[0], 9);
    }
  });

  it('sends the worker’s GETs through the latency proxy, at most the in-flight count at once', () => {
    // given the run above
    // when the proxy's view of each run is read
    // then it saw every object's GET, and never more open at once than the worker allows
    for (const row of report.result.rows) {
      const [traffic] = row.traffic;
      expect(traffic.requests).toBeGreaterThanOrEqual(100);
      expect(traffic.peakInFlight).toBeLessThanOrEqual(row.inFlight + 2);
    }
  });

  it('measures the raw server GET rate and the two archive layouts', () => {
    // given the run above
    const { result } = report;
    // when the server rate and the layouts are read
    // then the rate is positive and both layouts scored, the packed one in 2 objects
    expect(result.serverGetsPerSecond).toBeGreaterThan(0);
    expect(result.layouts.map((l) => [l.name, l.objects])).toEqual([
      ['one per object', 100],
      ['50 per tar', 2],
    ]);
    expect(result.layouts.every((l) => l.rates[0] > 0)).toBe(true);
  });

  it('writes both sections, the measured rates and cost.md', () => {
    // given the scratch docs folder
    // when its files are read
    // then the sections are there between markers, the rates file has this run's row of each
    // layout beside the rows it had, and cost.md was written from them
    for (const id of ['latency', 'latency-tar']) {
      expect(benchmarks).toContain(`<!-- bench:${id}:start -->`);
      expect(benchmarks).toContain(`<!-- bench:${id}:end -->`);
    }
    expect(benchmarks).toContain('## S3 latency');
    expect(benchmarks).toMatch(/\*\*Goal (met|missed)\*\*/);
    const rows = readMeasuredRates(join(docsDir, 'measured-rates.json')).rows;
    const ours = rows.filter((row) => row.source.includes(report.command));
    expect(ours.map((row) => row.recordsPerObject).sort((a, b) => a - b)).toEqual([1, 50]);
    expect(readFileSync(join(docsDir, 'cost.md'), 'utf-8')).toContain('S3 latency');
  });
});
