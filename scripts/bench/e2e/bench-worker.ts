/**
 * Worker benchmark (`npm run bench:worker`), on the wasm backend and a private moto emulator:
 *  1. compute-only throughput of the default digits CNN at batch sizes 1..256: scorer calls on
 *     preprocessed inputs already in memory;
 *  2. end-to-end throughput at the same batch sizes: a shard of PNG objects (emulator reads,
 *     decode, inference, checkpoint and output writes), and pipeline efficiency = e2e / compute;
 *  3. the I/O-only rate (emulator reads and decode, no model), which bounds e2e here, and the
 *     efficiency of a CNN heavy enough that compute, not the emulator, is the bottleneck;
 *  4. live tensors sampled through a 100,000-record shard (JSONL records, features model).
 * Prints a markdown report and writes the chart docs/benchmarks-worker.svg.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { INFER_DEFAULTS } from '../../../container/src/infer/infer-options';
import { emulatorEnvironment, startEmulator } from '../../local/moto-server';
import { ensureNative } from '../../../container/native/ensure-native';

const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? '1,8,32,128,256').split(',').map(Number);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DECODE_THREADS = Number(
  process.env.BENCH_DECODE_THREADS ?? Math.max(0, availableParallelism() - 1),
);
const TENSOR_OBJECTS = 100;
const TENSOR_LINES = 1000;
const FEATURES = 16;
const ROUND_MS = 600;
const CHART = join(__dirname, '..', '..', '..', 'docs', 'benchmarks-worker.svg');

/** Imported once the emulator environment is set, so SDK clients use its endpoint. */
async function loadModules() {
  return {
    clients: await import('../../../lib/contracts/aws-clients'),
    backend: await import('../../../container/src/backend/select-backend'),
    loadScorer: (await import('../../../container/src/model/load-scorer')).loadScorer,
    resolveModel: (await import('../../../container/src/model/resolve-model')).resolveModel,
    objectRecords: (await import('../../../container/src/infer/input/object-records'))
      .objectRecords,
    downloadObject: (await import('../../../container/src/infer/input/download-object'))
      .downloadObject,
    orderedPrefetch: (await import('../../../container/src/infer/pipeline/ordered-prefetch'))
      .orderedPrefetch,
    timeShard: (await import('../shared/time-shard')).timeShard,
    createBucket: (await import('../../../test/helpers/emulator-resources')).createBucket,
    fixtures: await import('../../../test/helpers/worker-model-fixture'),
    images: await import('../../../test/helpers/worker-image-fixtures'),
    batch: await import('../../../test/helpers/worker-batch-fixture'),
  };
}
type Modules = Awaited<ReturnType<typeof loadModules>>;

interface Bench {
  readonly m: Modules;
  readonly s3: S3Client;
  readonly models: string;
  readonly results: string;
}

type Scorer = Awaited<ReturnType<Modules['loadScorer']>>;

/** Records per second of the scorer at one batch size: best of three timed rounds. */
async function computeRate(scorer: Scorer, inputs: readonly Float32Array[], size: number) {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let records = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS || records < size * 3) {
      const batch = Array.from({ length: size }, (_, i) => inputs[(records + i) % inputs.length]);
      await scorer.score(batch);
      records += size;
    }
    best = Math.max(best, (records * 1000) / (performance.now() - start));
  }
  return best;
}

async function withScorer<T>(bench: Bench, name: string, use: (scorer: Scorer) => Promise<T>) {
  const model = await bench.m.resolveModel(bench.s3, bench.models, { name });
  const scorer = await bench.m.loadScorer(model, bench.s3);
  try {
    return await use(scorer);
  } finally {
    scorer.dispose();
  }
}

/** End-to-end records per second of one whole shard, as the worker runs it. */
async function shardRate(
  bench: Bench,
  name: string,
  items: readonly ManifestItem[],
  batchSize: number,
  sampleTensors?: (count: number) => void,
) {
  const { summary, ms } = await bench.m.timeShard({
    s3: bench.s3,
    modelsBucket: bench.models,
    modelName: name,
    batchId: `bench-${name}-${batchSize}-${Date.now()}`,
    items,
    backend: 'wasm',
    options: {
      ...INFER_DEFAULTS,
      shard: 0,
      resultsBucket: bench.results,
      batchSize,
      concurrency: CONCURRENCY,
      prefetch: 256,
      decodeThreads: DECODE_THREADS,
      maxErrorFraction: 0,
      progressSeconds: 3600,
    },
    during:
      sampleTensors &&
      (() => {
        const timer = setInterval(() => sampleTensors(tf.memory().numTensors), 25);
        return () => clearInterval(timer);
      }),
  });
  const records = summary.counts.ok + summary.counts.failed;
  return { rate: (records * 1000) / ms, summary };
}

/** Emulator reads plus decode, no model: the most the pipeline can deliver here. */
async function ioRate(bench: Bench, items: readonly ManifestItem[]) {
  const { m, s3 } = bench;
  const start = performance.now();
  let records = 0;
  for await (const download of m.orderedPrefetch(
    items,
    (item) => m.downloadObject(s3, item, 100 * 1024 * 1024),
    { concurrency: CONCURRENCY, prefetch: 256 },
  )) {
    records += m.objectRecords('x.png', download.bytes!, m.fixtures.DIGITS_INPUT, {
      maxPixels: 40_000_000,
    }).samples.length;
  }
  return (records * 1000) / (performance.now() - start);
}

function heavyCnn(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const conv = (filters: number, seed: number, first = false) =>
    tf.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(seed),
    });
  return tf.sequential({
    layers: [
      conv(64, 1, true),
      conv(64, 2),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(128, 3),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

interface Row {
  readonly batchSize: number;
  readonly compute: number;
  readonly e2e: number;
  /** Emulator reads and decode only, measured just before the end-to-end run. */
  readonly io: number;
}

/** Grouped bars on a log scale: compute-only and end-to-end records/s per batch size. */
function chartSvg(rows: readonly Row[]): string {
  const io = Math.max(...rows.map((r) => r.io));
  const width = 640;
  const height = 360;
  const left = 70;
  const bottom = 300;
  const top = 40;
  const max = Math.max(...rows.map((r) => Math.max(r.compute, r.e2e)));
  const decades = Math.ceil(Math.log10(max));
  const y = (v: number) =>
    Math.round((bottom - (Math.log10(Math.max(v, 1)) / decades) * (bottom - top)) * 10) / 10;
  const group = Math.round((width - left - 20) / rows.length);
  const bar = Math.round(group / 3);
  const parts: string[] = [];
  for (let d = 0; d <= decades; d++) {
    parts.push(
      `<line x1="${left}" x2="${width - 20}" y1="${y(10 ** d)}" y2="${y(10 ** d)}" stroke="#ddd"/>`,
      `<text x="${left - 8}" y="${y(10 ** d) + 4}" text-anchor="end">${10 ** d}</text>`,
    );
  }
  rows.forEach((row, i) => {
    const x = left + i * group + bar / 2;
    parts.push(
      `<rect x="${x}" y="${y(row.compute)}" width="${bar}" height="${bottom - y(row.compute)}" fill="#4878d0"/>`,
      `<rect x="${x + bar}" y="${y(row.e2e)}" width="${bar}" height="${bottom - y(row.e2e)}" fill="#ee854a"/>`,
      `<text x="${x + bar}" y="${bottom + 18}" text-anchor="middle">${row.batchSize}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" x2="${width - 20}" y1="${y(io)}" y2="${y(io)}" stroke="#6acc64" stroke-dasharray="6 4"/>`,
    `<text x="${width - 22}" y="${y(io) - 5}" text-anchor="end" fill="#3a8a35">best emulator read+decode rate (no model)</text>`,
    `<text x="${(width + left) / 2}" y="${bottom + 40}" text-anchor="middle">batch size</text>`,
    `<text x="18" y="${(top + bottom) / 2}" transform="rotate(-90 18 ${(top + bottom) / 2})" text-anchor="middle">records/s (log)</text>`,
    `<text x="${left}" y="22" font-weight="bold">Worker throughput, digits CNN, wasm backend</text>`,
    `<rect x="${width - 250}" y="10" width="12" height="12" fill="#4878d0"/><text x="${width - 233}" y="21">compute only</text>`,
    `<rect x="${width - 140}" y="10" width="12" height="12" fill="#ee854a"/><text x="${width - 123}" y="21">end to end</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

const fmt = (n: number) => n.toFixed(n >= 100 ? 0 : 2);

async function main(): Promise<void> {
  await ensureNative((line) => process.stderr.write(`${line}\n`));
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  try {
    const m = await loadModules();
    const backend = await m.backend.selectBackend('infer', () => undefined);
    const s3 = m.clients.s3Client();
    const bench: Bench = {
      m,
      s3,
      models: await m.createBucket(s3),
      results: await m.createBucket(s3),
    };
    const inputs = await m.createBucket(s3);
    await m.fixtures.publishDigitsChampion(s3, bench.models);
    const heavy = heavyCnn();
    await m.fixtures.publishModel(s3, bench.models, heavy, {
      name: 'digits-heavy',
      version: 'v1',
      input: m.fixtures.DIGITS_INPUT,
      labels: m.fixtures.DIGIT_LABELS,
      champion: true,
    });
    heavy.dispose();
    const pngs = Array.from({ length: IMAGES }, (_, i) => ({
      key: `bench/${i}.png`,
      body: m.images.pngOf(m.images.mnistDigit(i % 10, Math.floor(i / 10) % 100), 28, 28),
    }));
    const items = await m.batch.uploadInputs(s3, inputs, pngs);
    const samples = pngs.map(
      (png) =>
        m.objectRecords(png.key, png.body, m.fixtures.DIGITS_INPUT, { maxPixels: 1e6 }).samples[0]
          .input,
    );

    const rows: Row[] = [];
    for (const batchSize of BATCH_SIZES) {
      const compute = await withScorer(bench, 'digits', (scorer) =>
        computeRate(scorer, samples, batchSize),
      );
      // Measured next to the end-to-end run: the emulator's speed drifts with machine load.
      const io = await ioRate(bench, items);
      const { rate: e2e } = await shardRate(bench, 'digits', items, batchSize);
      rows.push({ batchSize, compute, e2e, io });
      process.stderr.write(
        `batch ${batchSize}: compute ${fmt(compute)}/s, io ${fmt(io)}/s, e2e ${fmt(e2e)}/s\n`,
      );
    }
    const heavyCompute = await withScorer(bench, 'digits-heavy', (scorer) =>
      computeRate(scorer, samples, 32),
    );
    const heavyRun = await shardRate(bench, 'digits-heavy', items, 32);

    const featureNames = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
    await m.fixtures.publishFeaturesChampion(s3, bench.models, featureNames, ['a', 'b', 'c']);
    const line = (i: number) =>
      JSON.stringify(Array.from({ length: FEATURES }, (_, f) => ((i * 31 + f * 7) % 100) / 100));
    const jsonl = await m.batch.uploadInputs(
      s3,
      inputs,
      Array.from({ length: TENSOR_OBJECTS }, (_, o) => ({
        key: `records/${o}.jsonl`,
        body: Array.from({ length: TENSOR_LINES }, (_, i) => line(o * TENSOR_LINES + i)).join('\n'),
      })),
    );
    const tensorSamples: number[] = [];
    const before = tf.memory().numTensors;
    const tensorRun = await shardRate(bench, 'tabular', jsonl, 256, (n) => tensorSamples.push(n));
    const after = tf.memory().numTensors;

    writeFileSync(CHART, chartSvg(rows));
    const base = rows[0].compute;
    const report = [
      `Backend: ${backend}; ${IMAGES} PNG digits (28x28) in moto; default digits CNN (conv 8, conv 16, softmax 10); concurrency ${CONCURRENCY}, prefetch 256, ${DECODE_THREADS} decode threads.`,
      '',
      '| batch size | compute-only records/s | vs batch 1 | reads+decode only records/s | end-to-end records/s | pipeline efficiency (e2e / compute) | e2e / min(compute, reads+decode) |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.batchSize} | ${fmt(r.compute)} | ${(r.compute / base).toFixed(1)}x | ${fmt(r.io)} | ${fmt(r.e2e)} | ${(r.e2e / r.compute).toFixed(3)} | ${(r.e2e / Math.min(r.compute, r.io)).toFixed(2)} |`,
      ),
      '',
      `- Heavier CNN (conv 64, 64, 128) at batch 32: compute-only ${fmt(heavyCompute)} records/s, end-to-end ${fmt(heavyRun.rate)} records/s, pipeline efficiency ${(heavyRun.rate / heavyCompute).toFixed(2)}.`,
      `- ${tensorRun.summary.counts.ok} JSONL records (${TENSOR_OBJECTS} objects x ${TENSOR_LINES} lines, ${FEATURES} features, batch 256) at ${fmt(tensorRun.rate)} records/s: live tensors before ${before}, during min ${Math.min(...tensorSamples)} / max ${Math.max(...tensorSamples)} over ${tensorSamples.length} samples, after ${after}.`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:worker failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
