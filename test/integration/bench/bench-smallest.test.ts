import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from '../../../scripts/bench/bench-all';
import { readMeasuredRates } from '../../../scripts/cost/measured-rates';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { STACK_SERVICES } from '../../helpers/stack-services';
import { runNode } from '../../../scripts/shared/run-node';

const REPO = join(__dirname, '..', '..', '..');

const run = (args: string[]) => runNode(args, { cwd: REPO });

// `npm run bench -- --size small`, once, into a scratch docs folder; the tests read its output.
// No timing is asserted: only that every part ran and produced its numbers and sections.
describeOnEmulator(STACK_SERVICES, 'npm run bench at the smallest size', () => {
  let docsDir: string;
  let report: BenchReport;
  let benchmarks: string;
  let stdout: string;

  beforeAll(async () => {
    docsDir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
    const jsonFile = join(docsDir, 'report.json');
    const bench = await run([
      '--import',
      'tsx',
      'scripts/bench/bench-all.ts',
      '--size',
      'small',
      '--docs-dir',
      docsDir,
      '--json',
      jsonFile,
    ]);
    if (bench.status !== 0) {
      throw new Error(`bench exited ${bench.status}: ${bench.stderr.slice(-4000)}`);
    }
    stdout = bench.stdout;
    report = JSON.parse(readFileSync(jsonFile, 'utf-8')) as BenchReport;
    benchmarks = readFileSync(join(docsDir, 'benchmarks.md'), 'utf-8');
  }, 300_000);

  afterAll(() => rmSync(docsDir, { recursive: true, force: true }));

  it('writes the peers, physical limit, end-to-end and cost sections between their markers', () => {
    // given the run above
    // when docs/benchmarks.md is read
    // then each of the four sections is there with its markers
    for (const [id, heading] of [
      ['peers', 'Peers'],
      ['limit', 'Physical limit'],
      ['e2e', 'End to end'],
      ['cost', 'Cost'],
    ]) {
      expect(benchmarks).toContain(`## ${heading}`);
      expect(benchmarks).toContain(`<!-- bench:${id}:start -->`);
      expect(benchmarks).toContain(`<!-- bench:${id}:end -->`);
    }
  });

  it('says the Python peer was skipped at this size and why', () => {
    // given the smallest size
    // when the peers section and the printed summary are read
    // then both name the skip and its reason
    expect(report.compute.peers).toHaveLength(0);
    expect(benchmarks).toContain('**Peer skipped**');
    expect(stdout).toMatch(/peers: skipped \(.*tensorflow-cpu/);
  });

  it('measures our throughput on each backend at every batch size of the plan, compute-only and end to end', () => {
    // given the smallest plan's batch sizes 1 and 32
    // when the report is read
    // then each backend measured has a positive rate of both kinds at both
    expect(report.compute.runs.length).toBeGreaterThan(0);
    for (const run of report.compute.runs) {
      expect(run.ours.map((row) => row.batchSize)).toEqual([1, 32]);
      for (const row of run.ours) {
        expect(row.computeImagesPerSecond).toBeGreaterThan(0);
        expect(row.endToEndImagesPerSecond).toBeGreaterThan(0);
      }
    }
  });

  it('measures tfjs-node and wasm, or names why a backend was skipped', () => {
    // given the plan's backends tfjs-node and wasm
    // when the report is read
    const measured = report.compute.runs.map((run) => run.backend);
    const skipped = report.compute.skippedBackends.map((s) => s.backend);
    // then each is measured or skipped with a reason, and wasm (always there) is measured
    expect([...measured, ...skipped].sort()).toEqual(['tfjs-node', 'wasm']);
    expect(measured).toContain('wasm');
    for (const s of report.compute.skippedBackends) expect(s.reason).not.toBe('');
  });

  it('prints the achieved share of the backend peak at each batch size', () => {
    // given a measured wasm matmul peak and the model's FLOPs per image
    // when the printed summary is read
    // then a share of the peak is printed for both batch sizes
    expect(report.compute.flopsPerImage).toBeGreaterThan(0);
    expect(stdout).toMatch(/physical limit batch 1: .*% of wasm peak/);
    expect(stdout).toMatch(/physical limit batch 32: .*% of wasm peak/);
  });

  it('accounts for every uploaded file with exactly one result or one error', () => {
    // given the end-to-end run's uploads, some of them truncated PNGs
    const [run] = report.endToEnd;
    // when its accounting is read
    // then nothing is missing, duplicated or unexpected, and the bad files became errors
    expect(run.accounting.missing).toEqual([]);
    expect(run.accounting.duplicated).toEqual([]);
    expect(run.accounting.unexpected).toEqual([]);
    expect(run.accounting.results + run.accounting.errors).toBe(run.files);
    expect(run.accounting.errors).toBe(run.corruptFiles);
  });

  it('splits the end-to-end time into accumulate, submit, job start, inference and write', () => {
    // given the end-to-end run
    // when its timeline is read
    // then the five phases are there in pipeline order
    expect(report.endToEnd[0].timeline.phases.map((p) => p.phase)).toEqual([
      'accumulate',
      'submit',
      'job start',
      'inference',
      'write',
    ]);
  });

  it('measures the worker at S3 latency and writes its sections and rates before the cost model', () => {
    // given the smallest plan's latency run (16 and 64 in flight, 100 digits, 50 per tar)
    const latency = report.latency!;
    // when the report, the sections and the scratch rates file are read
    const rates = readMeasuredRates(join(docsDir, 'measured-rates.json')).rows;
    // then every row and layout (lean GET and SDK) has a rate, both sections are there, and the
    // rates file that cost.md was written from holds this run's two rows
    expect(latency.rows.map((row) => row.inFlight)).toEqual([16, 64]);
    expect(latency.rows.every((row) => row.rates[0] > 0)).toBe(true);
    expect(latency.layouts.map((layout) => [layout.path, layout.objects])).toEqual([
      ['lean', 100],
      ['lean', 2],
      ['sdk', 100],
      ['sdk', 2],
    ]);
    for (const id of ['latency', 'latency-tar']) {
      expect(benchmarks).toContain(`<!-- bench:${id}:start -->`);
    }
    expect(benchmarks).toContain('## S3 latency');
    expect(rates.map((row) => row.recordsPerObject)).toEqual([1, 50]);
    expect(rates.every((row) => row.source.includes('npm run bench -- --size small'))).toBe(true);
    expect(stdout).toMatch(/S3 latency: best \d+ records\/s at (16|64) in flight/);
  });

  it('writes the cost model next to the benchmarks, with its optimiser and charts', () => {
    // given the run's docs folder
    // when cost.md and the charts are read
    // then cost.md has its prices, the recommendation and frontier, and the SVG charts are there
    const cost = readFileSync(join(docsDir, 'cost.md'), 'utf-8');
    expect(cost).toContain('## Prices');
    expect(cost).toContain('## Recommended thresholds');
    expect(cost).toMatch(/\*\*Goal (met|missed)\*\*/);
    expect(cost).toContain('(recommended)');
    expect(benchmarks).toContain('### Recommended thresholds');
    expect(readFileSync(join(docsDir, 'charts', 'cost-vs-latency.svg'), 'utf-8')).toMatch(/^<svg/);
    expect(readFileSync(join(docsDir, 'charts', 'cost-frontier.svg'), 'utf-8')).toMatch(/^<svg/);
    expect(readFileSync(join(docsDir, 'charts', 'physical-limit.svg'), 'utf-8')).toMatch(/^<svg/);
  });
});
