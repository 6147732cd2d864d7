/**
 * Training benchmark (`npm run bench:train`):
 *  1. samples per second of the digits CNN against mini-batch size through fitModel, on each
 *     backend named (default tfjs-node, then wasm with its gradient kernels; `cpu` adds the
 *     pure-JS backend, where a step of 32 takes ~15 s, so pair it with a small --samples),
 *     beside Keras `model.fit` on the same model, initial weights, digits, batch sizes and
 *     tfjs-node's thread counts (`--peer none` leaves it out), with the ratios;
 *  2. peak memory while `train` streams digit PNGs from S3 (a private moto server unless
 *     AWS_ENDPOINT_URL is set) for data sets larger than the configured memory cap.
 * Options: --backends tfjs-node,wasm  --batch-sizes 16,32,64,128  --samples 1024  --repeats 3
 *          --rounds 3 (alternating rounds of ours and Keras; rates are medians over them)
 *          --peer keras|none  --stream-sizes 1000,4000|none  --memory-cap-mb 2
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { buildModel, DIGITS_CNN } from '../../../container/src/train/architecture';
import { runTraining, trainingConfigKey } from '../../../container/src/train/run-training';
import { prepareTrainingBackend } from '../../../container/src/train/training-backend';
import { digitRange, uploadDigits } from '../../../test/helpers/train-digits';
import { median } from '../shared/median-rows';
import { ensurePeerVenv } from './peer-runner';
import { exportTrainingWork, runTrainingPeer, TrainingPeerResult } from './train-peer';
import {
  TRAIN_CLASSES,
  TRAIN_LEARNING_RATE,
  TRAIN_SEED,
  TRAIN_SHAPE,
  TrainingDigits,
  trainingDigits,
  trainingThroughput,
} from './train-throughput';
import { emulatorEnvironment, startEmulator } from '../../local/moto-server';
import { ensureNative } from '../../../container/native/ensure-native';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const numbers = (text: string) => text.split(',').map(Number);

/**
 * Our samples/s per backend and Keras's, at each batch size, in alternating rounds (ours, then
 * Keras) so load on a shared machine falls on both sides; each rate is the median over rounds.
 */
async function compareBackends(
  backends: string[],
  batchSizes: number[],
  count: number,
  repeats: number,
  rounds: number,
): Promise<void> {
  const digits = trainingDigits(count);
  const ours = new Map<string, number[][]>();
  const threads = new Map<string, string>();
  const peerRounds: TrainingPeerResult[] = [];
  const withPeer = option('--peer', 'keras') === 'keras';
  let workdir: string | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const backend of backends) {
        await prepareTrainingBackend((line) => console.error(line), {
          ...process.env,
          TFJS_BACKEND: backend,
        });
        threads.set(
          backend,
          backend === 'tfjs-node'
            ? `intra-op ${process.env.TF_NUM_INTRAOP_THREADS} / inter-op ${process.env.TF_NUM_INTEROP_THREADS}`
            : '1 thread',
        );
        const row: number[] = [];
        for (const batchSize of batchSizes) {
          row.push(await trainingThroughput(digits, batchSize, repeats));
          console.error(
            `round ${round} ${backend} batch ${batchSize}: ${row.at(-1)?.toFixed(0)} samples/s`,
          );
        }
        ours.set(backend, [...(ours.get(backend) ?? []), row]);
      }
      if (!withPeer) continue;
      // After the first backend is active: building the model to export needs one.
      workdir ??= await exportKerasWork(digits, batchSizes, repeats);
      // The same thread counts as the native backend (set before its binding loaded).
      const peer = runTrainingPeer(
        workdir,
        Number(process.env.TF_NUM_INTRAOP_THREADS),
        Number(process.env.TF_NUM_INTEROP_THREADS),
      );
      console.error(
        `round ${round} Keras: ${peer.rows.map((r) => r.samplesPerSecond.toFixed(0)).join('/')} samples/s`,
      );
      peerRounds.push(peer);
    }
  } finally {
    if (workdir !== undefined) rmSync(workdir, { recursive: true, force: true });
  }
  const rates = backends.map((b) =>
    batchSizes.map((_, i) => median((ours.get(b) ?? []).map((round) => round[i]))),
  );
  const peer = peerRounds[0];
  const peerRates = batchSizes.map((batchSize) =>
    median(
      peerRounds.map((p) => p.rows.find((r) => r.batchSize === batchSize)?.samplesPerSecond ?? NaN),
    ),
  );
  const keras = peer
    ? `Keras ${peer.kerasVersion} model.fit (jit_compile auto: XLA ${peer.rows[0]?.resolvedJitCompile ? 'on' : 'off'})`
    : '';
  console.log(
    `\n${backends.map((b) => `${b}: ${threads.get(b)}`).join('; ')}${peer ? `; ${keras} on TensorFlow ${peer.tensorflowVersion}: intra-op ${peer.intraOpThreads} / inter-op ${peer.interOpThreads}` : ''}; each rate the median of ${repeats} epochs of ${digits.train.length} digits after a warm-up, then the median over ${rounds} alternating rounds`,
  );
  const ratios = peer ? backends.map((b) => `${b} / Keras`) : [];
  const header = [
    ...backends.map((b) => `${b} samples/s`),
    ...(peer ? ['Keras samples/s'] : []),
    ...ratios,
  ];
  console.log(`\n| batch size | ${header.join(' | ')} |`);
  console.log(`|${'---:|'.repeat(1 + header.length)}`);
  batchSizes.forEach((batchSize, i) => {
    const cells = rates.map((r) => r[i].toFixed(0));
    if (peer) {
      cells.push(peerRates[i].toFixed(0));
      cells.push(...rates.map((r) => `${(r[i] / peerRates[i]).toFixed(2)}x`));
    }
    console.log(`| ${batchSize} | ${cells.join(' | ')} |`);
  });
}

/** The same model, initial weights, digits and batch sizes for Keras model.fit, in a workdir. */
async function exportKerasWork(
  digits: TrainingDigits,
  batchSizes: number[],
  repeats: number,
): Promise<string> {
  ensurePeerVenv((line) => console.error(line));
  const workdir = mkdtempSync(join(tmpdir(), 'bench-train-peer-'));
  const model = buildModel(DIGITS_CNN, TRAIN_CLASSES, TRAIN_SEED);
  try {
    await exportTrainingWork(workdir, model, digits.train, digits.validation, {
      batchSizes,
      learningRate: TRAIN_LEARNING_RATE,
      repeats,
      inputShape: TRAIN_SHAPE,
      classCount: TRAIN_CLASSES,
      // model.fit as Keras runs it by default.
      jitCompile: ['auto'],
    });
    return workdir;
  } finally {
    model.dispose();
  }
}

/** Samples process memory every 20 ms while `work` runs; returns the peaks above the start. */
async function peakMemory(
  work: () => Promise<unknown>,
): Promise<{ rssMb: number; heapMb: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - base.rss);
    heap = Math.max(heap, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20 };
}

async function streaming(sizes: number[], memoryCapMb: number): Promise<void> {
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  const s3 = s3Client();
  // A one-filter CNN: the subject here is the data pipeline, not the model.
  const architecture = { ...DIGITS_CNN, convFilters: [1] };
  console.log(
    `\n| objects | decoded data set (MiB) | memory cap (MiB) | peak heap+buffers above start (MiB) | peak RSS above start (MiB) | seconds |\n|---:|---:|---:|---:|---:|---:|`,
  );
  try {
    for (const size of sizes) {
      const bucket = `bench-train-${size}-${Date.now()}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: trainingConfigKey('digits'),
          Body: JSON.stringify({ architecture }),
        }),
      );
      await uploadDigits(s3, bucket, 'training/digits/', digitRange(0, Math.ceil(size / 10)));
      const started = Date.now();
      const peak = await peakMemory(() =>
        runTraining({
          s3,
          bucket,
          modelName: 'digits',
          trainingPrefix: 'training/digits/',
          flags: { '--epochs': '1', '--memory-cap-mb': String(memoryCapMb), '--batch-size': '64' },
          log: () => undefined,
        }),
      );
      const decodedMb = (Math.ceil(size / 10) * 10 * 28 * 28 * 4) / 2 ** 20;
      console.log(
        `| ${Math.ceil(size / 10) * 10} | ${decodedMb.toFixed(1)} | ${memoryCapMb} | ${peak.heapMb.toFixed(1)} | ${peak.rssMb.toFixed(1)} | ${((Date.now() - started) / 1000).toFixed(1)} |`,
      );
    }
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}`);
  // Builds tfjs-node on first use, so the comparison (and the streaming run) can load it.
  await ensureNative((line) => process.stderr.write(`${line}\n`));
  await compareBackends(
    option('--backends', 'tfjs-node,wasm').split(','),
    numbers(option('--batch-sizes', '16,32,64,128')),
    Number(option('--samples', '1024')),
    Number(option('--repeats', '3')),
    Number(option('--rounds', '3')),
  );
  if (option('--stream-sizes', '1000,4000') === 'none') return;
  // The streaming run uses the backend training picks by itself.
  await prepareTrainingBackend((line) => console.error(line));
  await streaming(
    numbers(option('--stream-sizes', '1000,4000')),
    Number(option('--memory-cap-mb', '2')),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
