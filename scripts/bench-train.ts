/**
 * Training benchmark (`npm run bench:train`):
 *  1. samples per second of the digits CNN against mini-batch size, on each backend named
 *     (default: wasm with its gradient kernels, the one training picks; `--backends wasm,cpu`
 *     adds the pure-JS cpu backend and the ratio, measured in the same run, where a step of
 *     32 takes ~15 s on cpu, so pair it with a small --samples);
 *  2. peak memory while `train` streams digit PNGs from S3 (a private moto server unless
 *     AWS_ENDPOINT_URL is set) for data sets larger than the configured memory cap.
 * Options: --backends wasm  --batch-sizes 16,32,64,128  --samples 1024
 *          --stream-sizes 1000,4000  --memory-cap-mb 2
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../lib/contracts/aws-clients';
import { buildModel, DIGITS_CNN } from '../container/src/train/architecture';
import { fitModel } from '../container/src/train/fit-model';
import { runTraining, trainingConfigKey } from '../container/src/train/run-training';
import type { Sample } from '../container/src/train/sample';
import { prepareTrainingBackend } from '../container/src/train/training-backend';
import { digitRange, digitSample, uploadDigits } from '../test/helpers/train-digits';
import { emulatorEnvironment, startEmulator } from './local/moto-server';
import { ensureNative } from '../container/native/ensure-native';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const numbers = (text: string) => text.split(',').map(Number);

async function* each(samples: readonly Sample[]): AsyncGenerator<Sample> {
  for (const sample of samples) yield sample;
}

/** Samples per second of one training epoch at each batch size, on the active backend. */
async function throughput(batchSizes: number[], count: number): Promise<number[]> {
  const perDigit = Math.ceil(count / 10);
  const samples = digitRange(0, perDigit).map(({ digit, index }) => digitSample(digit, index));
  const validation = digitRange(perDigit, 2).map(({ digit, index }) => digitSample(digit, index));
  const rates: number[] = [];
  for (const batchSize of batchSizes) {
    const model = buildModel(DIGITS_CNN, 10, 1);
    const started = process.hrtime.bigint();
    const result = await fitModel(
      model,
      { train: () => each(samples), validation: () => each(validation) },
      {
        batchSize,
        epochs: 1,
        learningRate: 0.002,
        learningRateDecay: 1,
        patience: 0,
        shape: [28, 28, 1],
        classCount: 10,
      },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    model.dispose();
    rates.push(result.trainSamples / seconds);
  }
  return rates;
}

async function compareBackends(backends: string[], batchSizes: number[], count: number) {
  const rates: number[][] = [];
  for (const backend of backends) {
    await prepareTrainingBackend((line) => console.error(line), {
      ...process.env,
      TFJS_BACKEND: backend,
    });
    rates.push(await throughput(batchSizes, count));
  }
  const ratio = backends.length > 1 ? [`${backends[0]} / ${backends[1]}`] : [];
  console.log(
    `\n| batch size | ${[...backends.map((b) => `${b} samples/s`), ...ratio].join(' | ')} |`,
  );
  console.log(`|${'---:|'.repeat(1 + backends.length + ratio.length)}`);
  batchSizes.forEach((batchSize, i) => {
    const cells = rates.map((r) => r[i].toFixed(0));
    if (ratio.length > 0) cells.push(`${(rates[0][i] / rates[1][i]).toFixed(1)}x`);
    console.log(`| ${batchSize} | ${cells.join(' | ')} |`);
  });
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
  await ensureNative((line) => process.stderr.write(`${line}\n`));
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
  await compareBackends(
    option('--backends', 'wasm').split(','),
    numbers(option('--batch-sizes', '16,32,64,128')),
    Number(option('--samples', '1024')),
  );
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
