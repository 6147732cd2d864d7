/**
 * Archive benchmark (`npm run bench:tar`): records per second of whole shards, as the worker
 * runs them, for the same PNG digits stored one per object and packed 1,000 per tar, on the
 * benchmarks' S3 endpoint. Both layouts run in turn in one process, several rounds each, and the
 * report gives the medians and their ratio, so a shared machine's noise hits both alike.
 * Prints a markdown section for docs/benchmarks.md.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { INFER_DEFAULTS } from '../../../container/src/infer/infer-options';
import { emulatorEnvironment, startEmulator } from '../../local/moto-server';
import { ensureNative } from '../../../container/native/ensure-native';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 2000);
const PER_TAR = Number(process.env.BENCH_PER_TAR ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Imported once the endpoint environment is set, so SDK clients use it. */
async function loadModules() {
  return {
    clients: await import('../../../lib/contracts/aws-clients'),
    backend: await import('../../../container/src/backend/select-backend'),
    time: await import('../shared/time-shard'),
    createBucket: (await import('../../../test/helpers/emulator-resources')).createBucket,
    fixtures: await import('../../../test/helpers/worker-model-fixture'),
    images: await import('../../../test/helpers/worker-image-fixtures'),
    batch: await import('../../../test/helpers/worker-batch-fixture'),
    tars: await import('../../../test/helpers/tar-fixtures'),
  };
}
type Modules = Awaited<ReturnType<typeof loadModules>>;

interface Layout {
  readonly name: string;
  readonly items: readonly ManifestItem[];
}

/** Records per second of one shard over `items`, from the manifest to its summary. */
async function shardRate(m: Modules, s3: S3Client, buckets: Buckets, layout: Layout) {
  const shard = await m.time.timeShard({
    s3,
    modelsBucket: buckets.models,
    modelName: 'digits',
    batchId: `bench-tar-${layout.name}-${Date.now()}`,
    items: layout.items,
    backend: 'bench',
    options: {
      ...INFER_DEFAULTS,
      shard: 0,
      resultsBucket: buckets.results,
      maxErrorFraction: 0,
      progressSeconds: 3600,
    },
  });
  return m.time.allScoredRate(shard, IMAGES, layout.name);
}

interface Buckets {
  readonly models: string;
  readonly inputs: string;
  readonly results: string;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  await ensureNative((line) => process.stderr.write(`${line}\n`));
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  const endpointNote = 'moto at zero injected latency';
  try {
    const m = await loadModules();
    const backend = await m.backend.selectBackend('infer', () => undefined);
    const s3 = m.clients.s3Client();
    const buckets: Buckets = {
      models: await m.createBucket(s3),
      inputs: await m.createBucket(s3),
      results: await m.createBucket(s3),
    };
    await m.fixtures.publishDigitsChampion(s3, buckets.models);
    // 500 distinct digits, repeated: mnistDigit parses its digit's whole file on every call.
    const digits = Array.from({ length: 500 }, (_, i) =>
      m.images.pngOf(m.images.mnistDigit(i % 10, Math.floor(i / 10)), 28, 28),
    );
    const pngs = Array.from({ length: IMAGES }, (_, i) => ({
      name: `${String(i).padStart(6, '0')}.png`,
      body: digits[i % digits.length],
    }));
    const single = await m.batch.uploadInputs(
      s3,
      buckets.inputs,
      pngs.map((png) => ({ key: `single/${png.name}`, body: png.body })),
    );
    const tars = await Promise.all(
      Array.from({ length: Math.ceil(IMAGES / PER_TAR) }, async (_, t) => ({
        key: `packed/${t}.tar`,
        body: await m.tars.tarOf(pngs.slice(t * PER_TAR, (t + 1) * PER_TAR)),
      })),
    );
    const packed = await m.batch.uploadInputs(s3, buckets.inputs, tars);
    const layouts: Layout[] = [
      { name: 'one per object', items: single },
      { name: `${PER_TAR} per tar`, items: packed },
    ];
    const rates = new Map(layouts.map((layout) => [layout.name, [] as number[]]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const layout of layouts) {
        const rate = await shardRate(m, s3, buckets, layout);
        rates.get(layout.name)!.push(rate);
        process.stderr.write(`round ${round + 1}: ${layout.name}: ${rate.toFixed(0)} records/s\n`);
      }
    }
    const [one, tar] = layouts.map((layout) => median(rates.get(layout.name)!));
    const lines = [
      `Backend: ${backend}; ${IMAGES} PNG digits (28x28) on ${endpointNote}; digits CNN; the worker's defaults (batch size ${INFER_DEFAULTS.batchSize}, concurrency ${INFER_DEFAULTS.concurrency}, prefetch ${INFER_DEFAULTS.prefetch}, ${INFER_DEFAULTS.decodeThreads} decode threads); median of ${ROUNDS} rounds, layouts alternating.`,
      '',
      '| Layout | GETs | Records/s (median) | Rounds |',
      '| --- | --- | --- | --- |',
      ...layouts.map(
        (layout) =>
          `| ${layout.name} | ${layout.items.length} | ${median(rates.get(layout.name)!).toFixed(0)} | ${rates
            .get(layout.name)!
            .map((rate) => rate.toFixed(0))
            .join(', ')} |`,
      ),
      '',
      `Packed / one per object: ${(tar / one).toFixed(2)}x`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
