/**
 * Real-model benchmark (`npm run bench:real`): MobileNetV2 built in tf-keras and imported with
 * `gbi models import`, over photos cut from scikit-image's sample images, the worker against the
 * Python peer (tf.data, Keras predict) on the same model and photos:
 *   npm run bench:real -- [--images N] [--rounds R] [--batch-size B] [--compute-images N]
 *     [--seed S] [--formats layers,savedmodel] [--size small] [--docs-dir DIR] [--json FILE]
 *     [--write]
 *   npm run bench:real -- --from-json FILE [--docs-dir DIR]   (write the docs of a saved run)
 * Prints the markdown; `--write` replaces its two sections of DIR/benchmarks.md (DIR defaults
 * to docs/). `--size small` is the test suite's run: 12 photos, one round, batch 4.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNative } from '../../../container/native/ensure-native';
import { ensureKerasConverter } from '../../../test/helpers/keras-peer';
import { replaceSection } from '../../report/benchmarks-doc';
import { formatMarkdown } from '../../report/format-markdown';
import { citedCommand, parseArgs } from '../../shared/cli-args';
import { machine } from '../shared/machine';
import { RealBenchResult, RealFormat, RealPlan, REAL_FORMATS, runRealBench } from './real-bench';
import { realDocSections, realSummary } from './real-report';

export interface RealReport {
  readonly date: string;
  readonly command: string;
  readonly machine: string;
  readonly result: RealBenchResult;
}

const log = (line: string) => process.stderr.write(`[bench:real] ${line}\n`);

const SMALL: RealPlan = {
  images: 12,
  rounds: 1,
  batchSize: 4,
  computeImages: 8,
  seed: 20,
  formats: REAL_FORMATS,
};
const FULL: RealPlan = { ...SMALL, images: 2200, rounds: 3, batchSize: 32, computeImages: 512 };

function parseFormats(value: string | undefined): readonly RealFormat[] {
  if (value === undefined) return REAL_FORMATS;
  const formats = value.split(',');
  const bad = formats.filter((f) => !(REAL_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0) {
    throw new Error(`--formats takes ${REAL_FORMATS.join(',')}, not '${bad.join(',')}'`);
  }
  return formats as RealFormat[];
}

async function writeDocs(report: RealReport, docsDir: string): Promise<void> {
  const file = join(docsDir, 'benchmarks.md');
  const before = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  const sections = realDocSections(report.result, report.command, report.date, report.machine);
  writeFileSync(file, await formatMarkdown(sections.reduce(replaceSection, before), file));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    numbers: ['images', 'rounds', 'batch-size', 'compute-images', 'seed'],
    strings: ['size', 'formats', 'docs-dir', 'json', 'from-json'],
    flags: ['write'],
  });
  const docsDir = args.strings.get('docs-dir') ?? join(__dirname, '..', '..', '..', 'docs');
  const fromJson = args.strings.get('from-json');
  if (fromJson !== undefined) {
    const saved = JSON.parse(readFileSync(fromJson, 'utf-8')) as RealReport;
    await writeDocs(saved, docsDir);
    process.stdout.write(`${realSummary(saved.result)}\nwrote the sections under ${docsDir}\n`);
    return;
  }
  const size = args.strings.get('size');
  if (size !== undefined && size !== 'small') {
    throw new Error(`--size takes 'small' (the test suite's run), not '${size}'`);
  }
  const base = size === 'small' ? SMALL : FULL;
  const plan: RealPlan = {
    images: args.numbers.get('images') ?? base.images,
    rounds: args.numbers.get('rounds') ?? base.rounds,
    batchSize: args.numbers.get('batch-size') ?? base.batchSize,
    computeImages: args.numbers.get('compute-images') ?? base.computeImages,
    seed: args.numbers.get('seed') ?? base.seed,
    formats: parseFormats(args.strings.get('formats')),
  };
  await ensureNative(log);
  ensureKerasConverter(log);
  // A region and dummy credentials for the SDK clients of the bench's own S3 server.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  const workdir = mkdtempSync(join(tmpdir(), 'bench-real-'));
  try {
    const result = await runRealBench(plan, workdir, log);
    const report: RealReport = {
      date: new Date().toISOString().slice(0, 10),
      command: citedCommand('bench:real', process.argv.slice(2)),
      machine: machine(),
      result,
    };
    const sections = realDocSections(result, report.command, report.date, report.machine);
    process.stdout.write(
      `${sections.map((s) => `## ${s.heading}\n\n${s.body}`).join('\n\n')}\n\n${realSummary(result)}\n`,
    );
    const json = args.strings.get('json');
    if (json !== undefined) writeFileSync(json, JSON.stringify(report, null, 2));
    if (args.flags.has('write')) await writeDocs(report, docsDir);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench:real: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
