/**
 * The worker's shard output writer (`npm run bench:upload`): MiB/s and peak memory of writing
 * one NDJSON object of each size, produced chunk by chunk as the worker reads its checkpoint
 * parts, to the benchmarks' S3 endpoint, with lib-storage's Upload at the worker's limits and
 * with one part in flight. Each upload runs in a process of its own (its peak RSS is its own),
 * settings alternating within each round so a shared machine's noise hits them alike. Writes
 * the generated part of the "Shard output writer" section of docs/benchmarks.md.
 *   npm run bench:upload -- [--sizes 8,64,256] [--rounds 3] [--chunk-kib 256] [--docs-dir DIR]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runJsonProbe } from '../../shared/run-node';
import { CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  UPLOAD_LIMITS,
  UploadLimits,
} from '../../../container/src/infer/output/upload-concatenated';
import { replaceSection } from '../../report/benchmarks-doc';
import { parseArgs } from '../../shared/cli-args';
import { formatMarkdown } from '../../report/format-markdown';
import { markdownTable, sig } from '../../report/markdown-table';
import { median } from '../shared/median-rows';
import type { UploadProbeRequest, UploadProbeResult } from './upload-probe';
import { emulatorEnvironment, startEmulator, MOTO_VERSION } from '../../local/moto-server';

const log = (line: string) => process.stderr.write(`[bench:upload] ${line}\n`);
const numbers = (text: string) => text.split(',').map(Number);

/** The worker's limits, and one part in flight for the memory floor. */
const SETTINGS: readonly UploadLimits[] = [{ ...UPLOAD_LIMITS, queueSize: 1 }, UPLOAD_LIMITS];
const settingName = (limits: UploadLimits) =>
  `${limits.partBytes / 1024 ** 2} MiB parts, queueSize ${limits.queueSize}`;

function probe(env: NodeJS.ProcessEnv): Promise<UploadProbeResult> {
  return runJsonProbe<UploadProbeResult>(
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'upload-probe.ts')],
    env,
  );
}

interface Run {
  readonly mib: number;
  readonly setting: string;
  readonly result: UploadProbeResult;
}

function uploadSection(runs: readonly Run[], command: string, date: string, machine: string) {
  const rows: (string | number)[][] = [];
  const sizes = [...new Set(runs.map((r) => r.mib))];
  for (const mib of sizes) {
    for (const name of SETTINGS.map(settingName)) {
      const mine = runs.filter((r) => r.mib === mib && r.setting === name).map((r) => r.result);
      rows.push([
        `${mib} MiB`,
        name,
        sig(median(mine.map((r) => mib / r.seconds))),
        sig(Math.max(...mine.map((r) => r.peakRssMiB - r.baselineRssMiB))),
        sig(Math.max(...mine.map((r) => r.peakHeapAndExternalMiB))),
      ]);
    }
  }
  return [
    `Command: \`${command}\` on ${date}, against moto ${MOTO_VERSION} on 127.0.0.1; ${machine}.`,
    'One NDJSON object per run, produced in chunks the size of a checkpoint part, each upload in a process of its own; MiB/s is the median over the rounds, the memory columns the largest: peak RSS above the RSS before the upload, and peak V8 heap plus external (Buffer) memory, sampled every 5 ms.',
    '',
    markdownTable(
      [
        'Object',
        'lib-storage Upload',
        'MiB/s',
        'Peak RSS growth (MiB)',
        'Peak heap + external (MiB)',
      ],
      rows,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ['sizes', 'rounds', 'chunk-kib', 'docs-dir'],
  });
  const sizes = numbers(args.strings.get('sizes') ?? '8,64,256');
  const rounds = Number(args.strings.get('rounds') ?? '3');
  const chunkKiB = Number(args.strings.get('chunk-kib') ?? '256');
  const docsDir = args.strings.get('docs-dir') ?? join(__dirname, '..', '..', '..', 'docs');
  const date = new Date().toISOString().slice(0, 10);
  const emulator = await startEmulator(log);
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  const runs: Run[] = [];
  const loads: number[] = [];
  try {
    const bucket = `bench-upload-${Date.now()}`;
    const s3 = s3Client();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (let round = 1; round <= rounds; round++) {
      for (const mib of sizes) {
        for (const limits of SETTINGS) {
          const name = settingName(limits);
          loads.push(loadavg()[0]);
          const key = `results/bench-${round}-${mib}.jsonl`;
          const request: UploadProbeRequest = { limits, mib, chunkKiB, bucket, key };
          const result = await probe({
            ...process.env,
            BENCH_UPLOAD_REQUEST: JSON.stringify(request),
          });
          // Moto keeps objects in memory; the next upload should not pay for this one.
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
          log(
            `round ${round} ${mib} MiB ${name}: ${sig(mib / result.seconds)} MiB/s, peak RSS +${sig(result.peakRssMiB - result.baselineRssMiB)} MiB`,
          );
          runs.push({ mib, setting: name, result });
        }
      }
    }
  } finally {
    await emulator.stop();
  }
  const cores = cpus();
  const machine = `${cores.length} x ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, shared with other work (load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} as the uploads started)`;
  const command = `npm run bench:upload -- --sizes ${sizes.join(',')} --rounds ${rounds} --chunk-kib ${chunkKiB}`;
  const body = uploadSection(runs, command, date, machine);
  const file = join(docsDir, 'benchmarks.md');
  const before = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  const after = replaceSection(before, { id: 'upload', heading: 'Shard output writer', body });
  writeFileSync(file, await formatMarkdown(after, file));
  process.stdout.write(`${body}\n\nbench:upload: wrote ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
