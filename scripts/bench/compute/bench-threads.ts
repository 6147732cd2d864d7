/**
 * TensorFlow thread counts for the native backend (`npm run bench:threads`): the worker's
 * compute and end-to-end paths and training on tfjs-node at each intra-op / inter-op setting,
 * each in its own process (TensorFlow reads the counts once per process), round after round.
 * Writes the "Native thread counts" section of docs/benchmarks.md; the defaults in
 * container/src/backend/native-threads.ts come from it.
 *   npm run bench:threads -- [--intra 1,2] [--inter 1,2] [--rounds 3] [--docs-dir DIR]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runJsonProbe } from '../../shared/run-node';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { registerDigitsChampion } from '../shared/bench-model';
import { replaceSection } from '../../report/benchmarks-doc';
import { parseArgs } from '../../shared/cli-args';
import { formatMarkdown } from '../../report/format-markdown';
import type { ProbeRequest, ProbeResult } from './threads-probe';
import { fastestSetting, summariseThreads, threadsSection } from './threads-report';
import { emulatorEnvironment, startEmulator } from '../../local/moto-server';
import { ensureNative } from '../../../container/native/ensure-native';

const log = (line: string) => process.stderr.write(`[bench:threads] ${line}\n`);
const numbers = (text: string) => text.split(',').map(Number);

const REQUEST: ProbeRequest = {
  batchSizes: [8, 32, 128],
  minSeconds: 1,
  trainBatchSize: 64,
  trainSamples: 512,
  trainRepeats: 3,
};

function probe(env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  return runJsonProbe<ProbeResult>(['--import', 'tsx', join(__dirname, 'threads-probe.ts')], env);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ['intra', 'inter', 'rounds', 'docs-dir'],
  });
  const intra = numbers(args.strings.get('intra') ?? '1,2');
  const inter = numbers(args.strings.get('inter') ?? '1,2');
  const rounds = Number(args.strings.get('rounds') ?? '3');
  const docsDir = args.strings.get('docs-dir') ?? join(__dirname, '..', '..', '..', 'docs');
  const date = new Date().toISOString().slice(0, 10);
  await ensureNative(log);
  const emulator = await startEmulator(log);
  const emulatorEnv = emulatorEnvironment(emulator.endpoint);
  Object.assign(process.env, emulatorEnv);
  const results: ProbeResult[] = [];
  const loads: number[] = [];
  try {
    const bucket = `bench-threads-${Date.now()}`;
    const s3 = s3Client();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    (await registerDigitsChampion(s3, bucket)).dispose();
    for (let round = 1; round <= rounds; round++) {
      for (const i of intra) {
        for (const j of inter) {
          loads.push(loadavg()[0]);
          const result = await probe({
            ...process.env,
            TF_NUM_INTRAOP_THREADS: String(i),
            TF_NUM_INTEROP_THREADS: String(j),
            BENCH_THREADS_BUCKET: bucket,
            BENCH_THREADS_REQUEST: JSON.stringify(REQUEST),
          });
          log(
            `round ${round} intra ${i} inter ${j}: compute ${result.rows.map((r) => r.computeImagesPerSecond.toFixed(0)).join('/')} img/s, training ${result.trainSamplesPerSecond.toFixed(0)} samples/s`,
          );
          results.push(result);
        }
      }
    }
  } finally {
    await emulator.stop();
  }
  const summaries = summariseThreads(results);
  const cores = cpus();
  const machine = `${cores.length} x ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, shared with other work (load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} as the settings started)`;
  const command = `npm run bench:threads -- --rounds ${rounds}`;
  const body = threadsSection(summaries, command, date, machine, REQUEST.trainBatchSize);
  const file = join(docsDir, 'benchmarks.md');
  const before = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  const after = replaceSection(before, { id: 'threads', heading: 'Native thread counts', body });
  writeFileSync(file, await formatMarkdown(after, file));
  const chosen = fastestSetting(summaries);
  process.stdout.write(
    `${body}\n\nbench:threads: wrote ${file}; fastest intra-op ${chosen.intraOpThreads} / inter-op ${chosen.interOpThreads}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:threads: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
