/**
 * All of issue 7's benchmarks in one run, side by side on the same work:
 *   npm run bench -- [--size small|medium|full] [--docs-dir DIR] [--json FILE]
 *   npm run bench -- --from-json FILE   (re-render the docs from a saved --json report)
 * - Peers: our worker vs Python TensorFlow on the same model, weights, inputs, batch sizes.
 * - Physical limit: the backend's matmul peak and the model's achieved share of it.
 * - End to end: N uploads through the whole pipeline on the emulator, split into phases.
 * - Cost: the cost model at the default configuration and its threshold sweeps.
 * - S3 latency (issue 15): the worker against requests in flight at S3's latency, and the same
 *   digits one per object against packed per tar (scripts/bench/io/latency-bench.ts).
 * Regenerates those sections of docs/benchmarks.md (between their markers), the charts, the
 * latency run's rates in docs/measured-rates.json and, from them, docs/cost.md, and prints the
 * ratios. `small` takes well under a minute and skips the
 * Python peer (the test suite runs it); `full` uploads 1,000 and 10,000 files.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { s3Client } from '../../lib/contracts/aws-clients';
import { benchPlan, BenchPlan } from './shared/bench-size';
import { DocSection, replaceSection } from '../report/benchmarks-doc';
import { parseArgs } from '../shared/cli-args';
import { ComputeBenchResult, runComputeBench } from './compute/compute-bench';
import {
  limitChart,
  limitSection,
  LIMIT_CHART_FILE,
  peakFractions,
  peerRatios,
  peersChart,
  peersSection,
  PEERS_CHART_FILE,
} from './compute/compute-report';
import {
  COST_CHART_FILE,
  CostInputs,
  CostSections,
  DOC_MAX_LATENCY_SECONDS,
  FRONTIER_CHART_FILE,
} from '../cost/cost-doc';
import {
  costScenario,
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WORKLOAD,
} from '../cost/cost-model';
import { scenarioSummary } from '../cost/cost-report';
import { accountedExactlyOnce } from './e2e/e2e-accounting';
import { EndToEndResult, runEndToEnd } from './e2e/e2e-bench';
import { endToEndSection } from './e2e/e2e-report';
import { formatMarkdown } from '../report/format-markdown';
import { runLatencyBench, LatencyBenchResult } from './io/latency-bench';
import { bestInFlight, latencyDocSections, measuredRateRows } from './io/latency-report';
import { median } from './shared/median-rows';
import { machine } from './shared/machine';
import { readMeasuredRates, upsertMeasuredRates } from '../cost/measured-rates';
import { renderLineChart, LineChart } from '../report/svg-line-chart';
import { emulatorEnvironment, startEmulator } from '../local/moto-server';
import { writeCostDocs } from '../cost/write-cost-docs';
import { ensureNative } from '../../container/native/ensure-native';

export interface BenchReport {
  readonly size: string;
  /** Day of the measurement and the command that made it, as the docs cite them. */
  readonly date: string;
  readonly command: string;
  readonly compute: ComputeBenchResult;
  readonly endToEnd: readonly EndToEndResult[];
  /** The worker at S3's latency; absent from reports saved before it was measured here. */
  readonly latency?: LatencyBenchResult;
  readonly cost: ReturnType<typeof costScenario>;
  readonly benchmarksFile: string;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function writeChart(docsDir: string, file: string, chart: LineChart): void {
  const path = join(docsDir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderLineChart(chart));
}

function costSection(
  inputs: CostInputs,
  sections: CostSections,
  command: string,
  date: string,
): string {
  const scenario = costScenario(inputs.workload, inputs.thresholds, inputs.assumptions);
  return [
    `Command: \`${command}\` on ${date}. The cost model ([cost.md](cost.md), printed by \`npx tsx scripts/cost-model.ts\`) at the default configuration; prices with their sources and dates, every assumption, the optimiser's frontier and the threshold sweeps are in cost.md. The scoring rate there is the measured worker rate of docs/measured-rates.json (the S3 latency benchmark's, see cost.md for what was measured where), the cold start follows from the GPU image's size and its SASS.`,
    '',
    scenarioSummary(inputs.workload, inputs.thresholds, scenario),
    '',
    '### Recommended thresholds',
    '',
    sections.recommendation,
    '',
    `![Cost per million images against worst-case latency along the frontier](${FRONTIER_CHART_FILE})`,
    '',
    `![Cost against latency for each max-wait setting](${COST_CHART_FILE})`,
  ].join('\n');
}

function printSummary(report: BenchReport): void {
  const out: string[] = [`bench --size ${report.size}: wrote ${report.benchmarksFile}`];
  const ratios = peerRatios(report.compute);
  if (ratios.length === 0) {
    out.push(`peers: skipped (${report.compute.peerSkipReason ?? 'no peer'})`);
  }
  for (const s of report.compute.skippedBackends)
    out.push(`backend ${s.backend}: skipped (${s.reason})`);
  for (const r of ratios) {
    out.push(
      `ratio ${r.backend}/peer [${r.peer}${r.sameThreads ? ', same threads' : ''}] batch ${r.batchSize}: compute ${r.compute.toFixed(2)}x, end to end ${r.endToEnd.toFixed(2)}x`,
    );
  }
  for (const f of peakFractions(report.compute)) {
    out.push(
      `physical limit batch ${f.batchSize}: ${f.gflops.toFixed(3)} GFLOP/s = ${(f.fraction * 100).toFixed(1)}% of ${f.backend} peak`,
    );
  }
  for (const run of report.endToEnd) {
    out.push(
      `end to end ${run.files} files: ${(run.timeline.totalMs / 1000).toFixed(1)} s first upload to last result; ${run.accounting.results} results + ${run.accounting.errors} errors, ${accountedExactlyOnce(run.accounting) ? 'each file exactly once' : 'ACCOUNTING FAILED'}`,
    );
  }
  if (report.latency !== undefined) {
    const result = report.latency;
    const row = bestInFlight(result.rows);
    out.push(
      `S3 latency: best ${median(row.row.rates).toFixed(0)} records/s at ${row.row.inFlight} in flight, efficiency ${median(row.row.efficiencies).toFixed(3)} (goal ${row.meetsGoal ? 'met' : 'missed'}); server ${result.serverGetsPerSecond.toFixed(0)} GETs/s; ${result.layouts.map((l) => `${l.name} ${median(l.rates).toFixed(0)}/s`).join(', ')}`,
    );
  }
  const g4dn = report.cost.gpu['g4dn.xlarge'];
  out.push(
    `cost at defaults: g4dn.xlarge $${g4dn.spotPerMillion.toFixed(2)}/M images spot, $${g4dn.onDemandPerMillion.toFixed(2)}/M on-demand; start-up ${(report.cost.startupShare * 100).toFixed(1)}% of GPU time`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

/**
 * Writes docs/benchmarks.md's sections, the charts, the rates and docs/cost.md from measured
 * results; `--from-json` calls it on an earlier run's report to re-render without measuring.
 */
async function writeBenchDocs(
  measured: Omit<BenchReport, 'cost' | 'benchmarksFile'>,
  docsDir: string,
): Promise<BenchReport> {
  const { compute, endToEnd, latency, command, date } = measured;
  // The latency run's rates go into the table before the cost model reads it.
  const ratesFile = join(docsDir, 'measured-rates.json');
  if (latency !== undefined) {
    upsertMeasuredRates(ratesFile, measuredRateRows(latency, command, date, machine()));
  }
  const costInputs: CostInputs = {
    workload: DEFAULT_WORKLOAD,
    thresholds: DEFAULT_THRESHOLDS,
    assumptions: existsSync(ratesFile)
      ? { ...DEFAULT_ASSUMPTIONS, rates: readMeasuredRates(ratesFile) }
      : DEFAULT_ASSUMPTIONS,
    maxWorstSeconds: DOC_MAX_LATENCY_SECONDS,
  };
  const { sections: costDoc } = await writeCostDocs(
    costInputs,
    docsDir,
    'npx tsx scripts/cost-model.ts --write',
  );
  if (compute.peers.length > 0) writeChart(docsDir, PEERS_CHART_FILE, peersChart(compute));
  writeChart(docsDir, LIMIT_CHART_FILE, limitChart(compute));

  const sections: DocSection[] = [
    { id: 'peers', heading: 'Peers', body: peersSection(compute, command, date, machine()) },
    { id: 'limit', heading: 'Physical limit', body: limitSection(compute, command, date) },
    { id: 'e2e', heading: 'End to end', body: endToEndSection(endToEnd, command, date) },
    { id: 'cost', heading: 'Cost', body: costSection(costInputs, costDoc, command, date) },
    ...(latency === undefined ? [] : latencyDocSections(latency, command, date, machine())),
  ];
  const file = join(docsDir, 'benchmarks.md');
  const before = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  const after = sections.reduce(replaceSection, before);
  writeFileSync(file, await formatMarkdown(after, file));
  const cost = costScenario(costInputs.workload, costInputs.thresholds, costInputs.assumptions);
  return { ...measured, cost, benchmarksFile: file };
}

export async function runBench(
  plan: BenchPlan,
  docsDir: string,
  command: string,
): Promise<BenchReport> {
  const date = new Date().toISOString().slice(0, 10);
  await ensureNative(log);
  const emulator = await startEmulator(log);
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  // An interrupted run must not leave the emulator it started behind.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void emulator.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const compute = await runComputeBench(plan, s3Client(), `bench-models-${Date.now()}`, log);
    const endToEnd: EndToEndResult[] = [];
    for (const files of plan.endToEndFiles) endToEnd.push(await runEndToEnd(files, log));
    const latency = await runLatencyBench(plan.latency, log);
    return await writeBenchDocs(
      { size: plan.size, date, command, compute, endToEnd, latency },
      docsDir,
    );
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ['size', 'docs-dir', 'json', 'from-json'],
  });
  const size = args.strings.get('size') ?? 'medium';
  const plan = benchPlan(size);
  const docsDir = args.strings.get('docs-dir') ?? join(__dirname, '..', '..', 'docs');
  const fromJson = args.strings.get('from-json');
  const report = fromJson
    ? await writeBenchDocs(JSON.parse(readFileSync(fromJson, 'utf-8')) as BenchReport, docsDir)
    : await runBench(plan, docsDir, `npm run bench -- --size ${size}`);
  const json = args.strings.get('json');
  if (json !== undefined) writeFileSync(json, JSON.stringify(report, null, 2));
  printSummary(report);
  const failed = report.endToEnd.filter((run) => !accountedExactlyOnce(run.accounting));
  if (failed.length > 0) {
    throw new Error(
      `end to end: ${failed.map((r) => `${r.files} files`).join(', ')} not accounted for exactly once`,
    );
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
