/**
 * Latency benchmark (`npm run bench:latency`): the worker against an S3 endpoint that is not the
 * bottleneck, with S3's latency put back (gofakes3 with its latency port):
 *   npm run bench:latency -- [--images N] [--in-flight 16,32,...] [--rounds R]
 *     [--latency s3|none|median=30,p99=150,stall=0.001,stall-ms=10000] [--seed S]
 *     [--per-tar N] [--prefetch N] [--docs-dir DIR] [--json FILE] [--write]
 *   npm run bench:latency -- --from-json FILE [--docs-dir DIR]   (write the docs of a saved run)
 * Measures records/s per worker against requests in flight, the pipeline efficiency against
 * compute only in the same rounds, the server's raw GET rates, the client CPU per GET of the
 * lean and the SDK path, and the same digits one per
 * object against packed per tar. Prints the markdown; `--write` also replaces the two sections
 * of DIR/benchmarks.md, puts the measured rates into DIR/measured-rates.json and regenerates
 * DIR/cost.md from them (DIR defaults to docs/).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNative } from '../../../container/native/ensure-native';
import { replaceSection } from '../../report/benchmarks-doc';
import { citedCommand, parseArgs } from '../../shared/cli-args';
import { DOC_MAX_LATENCY_SECONDS } from '../../cost/cost-doc';
import { DEFAULT_ASSUMPTIONS, DEFAULT_THRESHOLDS, DEFAULT_WORKLOAD } from '../../cost/cost-model';
import { formatMarkdown } from '../../report/format-markdown';
import { IN_FLIGHT, LatencyBenchResult, LatencyPlan, runLatencyBench } from './latency-bench';
import { parseLatencyProfile } from './latency-profile';
import {
  archiveLatencySection,
  bestInFlight,
  latencyDocSections,
  latencySection,
  measuredRateRows,
  trafficTotals,
} from './latency-report';
import { machine } from '../shared/machine';
import { readMeasuredRates, upsertMeasuredRates } from '../../cost/measured-rates';
import { median } from '../shared/median-rows';
import { writeCostDocs } from '../../cost/write-cost-docs';

export interface LatencyReport {
  readonly date: string;
  readonly command: string;
  readonly machine: string;
  readonly result: LatencyBenchResult;
}

const log = (line: string) => process.stderr.write(`[bench:latency] ${line}\n`);

/** The two benchmarks.md sections, the measured rates and cost.md, under `docsDir`. */
async function writeDocs(report: LatencyReport, docsDir: string): Promise<void> {
  const { result, command, date } = report;
  const sections = latencyDocSections(result, command, date, report.machine);
  const file = join(docsDir, 'benchmarks.md');
  const before = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  writeFileSync(file, await formatMarkdown(sections.reduce(replaceSection, before), file));
  const ratesFile = join(docsDir, 'measured-rates.json');
  upsertMeasuredRates(ratesFile, measuredRateRows(result, command, date, report.machine));
  await writeCostDocs(
    {
      workload: DEFAULT_WORKLOAD,
      thresholds: DEFAULT_THRESHOLDS,
      assumptions: { ...DEFAULT_ASSUMPTIONS, rates: readMeasuredRates(ratesFile) },
      maxWorstSeconds: DOC_MAX_LATENCY_SECONDS,
    },
    docsDir,
    'npx tsx scripts/cost-model.ts --write',
  );
}

function summary(report: LatencyReport): string {
  const { result } = report;
  const compute = median(result.computeRates);
  const { row, meetsGoal } = bestInFlight(result.rows);
  const traffic = trafficTotals(result);
  return [
    `backend ${result.backend}; server ${result.serverGetsPerSecond.toFixed(0)} GETs/s, latency port ${result.latencyPortGetsPerSecond.toFixed(0)} GETs/s; compute only ${compute.toFixed(0)} records/s`,
    ...result.getCosts.map(
      (c) =>
        `${c.path} GETs: ${median(c.cpuUsPerGet).toFixed(0)} us of client CPU per GET, ${median(c.getsPerSecond).toFixed(0)} GETs/s`,
    ),
    ...result.rows.map(
      (r) =>
        `in flight ${r.inFlight}: ${median(r.rates).toFixed(0)} records/s, efficiency ${median(r.efficiencies).toFixed(3)}`,
    ),
    ...result.layouts.map((l) => `${l.path} ${l.name}: ${median(l.rates).toFixed(0)} records/s`),
    `efficiency goal ${meetsGoal ? 'met' : 'missed'} (best at ${row.inFlight} in flight); latency port: ${traffic.requests} requests, ${traffic.stalls} stalls, ${traffic.retried} retried`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    numbers: ['images', 'rounds', 'seed', 'per-tar', 'server-seconds', 'prefetch'],
    strings: ['in-flight', 'latency', 'docs-dir', 'json', 'from-json'],
    flags: ['write'],
  });
  const docsDir = args.strings.get('docs-dir') ?? join(__dirname, '..', '..', '..', 'docs');
  const fromJson = args.strings.get('from-json');
  if (fromJson !== undefined) {
    const saved = JSON.parse(readFileSync(fromJson, 'utf-8')) as LatencyReport;
    await writeDocs(saved, docsDir);
    process.stdout.write(
      `${summary(saved)}\nwrote the sections, rates and cost.md under ${docsDir}\n`,
    );
    return;
  }
  const plan: LatencyPlan = {
    images: args.numbers.get('images') ?? 2000,
    inFlight: args.strings.get('in-flight')?.split(',').map(Number) ?? IN_FLIGHT,
    rounds: args.numbers.get('rounds') ?? 3,
    profile: parseLatencyProfile(args.strings.get('latency') ?? 's3'),
    seed: args.numbers.get('seed') ?? 1,
    perTar: args.numbers.get('per-tar') ?? 1000,
    serverSeconds: args.numbers.get('server-seconds') ?? 3,
    prefetch: args.numbers.get('prefetch'),
  };
  const command = citedCommand('bench:latency', process.argv.slice(2));
  await ensureNative(log);
  // A region and dummy credentials for the SDK clients, which name their endpoints themselves.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  const result = await runLatencyBench(plan, log);
  const report: LatencyReport = {
    date: new Date().toISOString().slice(0, 10),
    command,
    machine: machine(),
    result,
  };
  process.stdout.write(
    `## S3 latency\n\n${latencySection(result, report.command, report.date, report.machine)}\n\n## Archives at S3 latency\n\n${archiveLatencySection(result, report.command, report.date)}\n\n${summary(report)}\n`,
  );
  const json = args.strings.get('json');
  if (json !== undefined) writeFileSync(json, JSON.stringify(report, null, 2));
  if (args.flags.has('write')) await writeDocs(report, docsDir);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench:latency: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
