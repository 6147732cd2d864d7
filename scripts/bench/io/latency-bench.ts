import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { INFER_DEFAULTS } from '../../../container/src/infer/infer-options';
import type { ShardOptions } from '../../../container/src/infer/shard-run';
import { loadScorer, Scorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { createBucket } from '../../../test/helpers/emulator-resources';
import { tarOf } from '../../../test/helpers/tar-fixtures';
import { uploadInputs } from '../../../test/helpers/worker-batch-fixture';
import { DIGITS_INPUT, publishDigitsChampion } from '../../../test/helpers/worker-model-fixture';
import { benchInputs } from '../shared/bench-inputs';
import { LatencyProfile } from './latency-profile';
import type { LatencyProxyStats } from './latency-proxy';
import type { LatencyProxyProcess } from './latency-proxy-process';
import { startLatencyEndpoint } from './s3-endpoint';
import { serverGetRate } from './s3-server';
import { allScoredRate, timeShard } from '../shared/time-shard';

export interface LatencyPlan {
  /** Digits stored one per object (and the same digits packed into tars). */
  readonly images: number;
  /** Requests in flight to sweep: the worker's concurrency, with a read-ahead window as large. */
  readonly inFlight: readonly number[];
  readonly rounds: number;
  readonly profile: LatencyProfile;
  readonly seed: number;
  /** Digits per tar in the archive comparison. */
  readonly perTar: number;
  /** Seconds the Go load generator GETs one object for the server's raw rate. */
  readonly serverSeconds: number;
  /**
   * The read-ahead window of every run (at least the run's in-flight count).
   * @default the worker's `--prefetch` default
   */
  readonly prefetch?: number;
}

/** What the proxy saw during one shard run. */
export interface RunTraffic {
  readonly requests: number;
  readonly stalls: number;
  /** Stalled requests the worker gave up on and re-issued (first-byte timeout). */
  readonly retried: number;
  readonly peakInFlight: number;
}

export interface InFlightRow {
  readonly inFlight: number;
  /** End-to-end records/s, one per round. */
  readonly rates: readonly number[];
  /** Each round's end-to-end rate over that round's compute-only rate. */
  readonly efficiencies: readonly number[];
  readonly traffic: readonly RunTraffic[];
}

export interface LayoutRow {
  readonly name: string;
  readonly objects: number;
  readonly meanObjectBytes: number;
  readonly recordsPerObject: number;
  readonly rates: readonly number[];
  readonly efficiencies: readonly number[];
}

export interface LatencyBenchResult {
  readonly backend: string;
  readonly profile: LatencyProfile;
  readonly seed: number;
  readonly images: number;
  readonly meanObjectBytes: number;
  readonly batchSize: number;
  readonly decodeThreads: number;
  /** Small GETs/s the S3 server serves itself (Go load generator, no proxy, no SDK). */
  readonly serverGetsPerSecond: number;
  readonly serverConcurrency: number;
  /** Compute-only records/s (scorer on in-memory inputs), one per round. */
  readonly computeRates: readonly number[];
  readonly rows: readonly InFlightRow[];
  /** The archive comparison, run at the worker's defaults. */
  readonly layouts: readonly LayoutRow[];
  /**
   * The one-per-object shard at the worker's defaults straight to the server, no proxy and no
   * injected latency, one per round: what this host's CPU allows the worker.
   */
  readonly directRates: readonly number[];
  readonly directEfficiencies: readonly number[];
  readonly defaults: { readonly concurrency: number; readonly prefetch: number };
}

const SERVER_CONCURRENCY = 64;

/** The in-flight counts issue 15 asks about. */
export const IN_FLIGHT = [16, 32, 64, 128, 256, 512, 1024];

/**
 * Options of one shard run: the worker's defaults, with `inFlight` requests in flight and a
 * read-ahead window of `prefetch`, widened to the in-flight count where that is larger.
 */
export function shardOptions(
  resultsBucket: string,
  prefetch: number,
  inFlight = INFER_DEFAULTS.concurrency,
): ShardOptions {
  return {
    ...INFER_DEFAULTS,
    shard: 0,
    resultsBucket,
    concurrency: inFlight,
    prefetch: Math.max(prefetch, inFlight),
    maxErrorFraction: 0,
    progressSeconds: 3600,
  };
}

interface Setup {
  readonly setupS3: S3Client;
  /** The worker's client: through the proxy. */
  readonly workerS3: S3Client;
  readonly models: string;
  readonly results: string;
  readonly proxy: LatencyProxyProcess;
}

const traffic = (before: LatencyProxyStats, after: LatencyProxyStats): RunTraffic => ({
  requests: after.requests - before.requests,
  stalls: after.stalls - before.stalls,
  retried: after.abandoned - before.abandoned,
  peakInFlight: after.peakInFlight,
});

/** End-to-end records/s of one whole shard as the worker runs it, and the proxy's view of it. */
async function shardRate(
  setup: Setup,
  items: readonly ManifestItem[],
  records: number,
  options: ShardOptions,
  backend: string,
  s3 = setup.workerS3,
) {
  await setup.proxy.resetPeakInFlight();
  const before = await setup.proxy.stats();
  const shard = await timeShard({
    s3,
    modelS3: setup.setupS3,
    modelsBucket: setup.models,
    modelName: 'digits',
    batchId: `bench-latency-${Date.now()}`,
    items,
    backend,
    options,
  });
  const rate = allScoredRate(shard, records, `${items.length} objects`);
  return { rate, traffic: traffic(before, await setup.proxy.stats()) };
}

/** Compute-only records/s: the scorer on in-memory inputs at the worker's batch size. */
async function computeRate(scorer: Scorer, inputs: readonly Float32Array[], records: number) {
  const size = INFER_DEFAULTS.batchSize;
  await scorer.score(inputs.slice(0, size));
  const began = performance.now();
  for (let done = 0; done < records; done += size) {
    const batch = Array.from(
      { length: Math.min(size, records - done) },
      (_, i) => inputs[(done + i) % inputs.length],
    );
    await scorer.score(batch);
  }
  return (records * 1000) / (performance.now() - began);
}

/**
 * The latency benchmark: the worker's records/s against in-flight requests on gofakes3 behind
 * the latency proxy, its pipeline efficiency against compute-only measured in the same round,
 * the server's raw GET rate, and the same digits one per object against packed in tars.
 * Rounds repeat every measurement in turn, so a shared machine's load falls on all alike.
 */
export async function runLatencyBench(
  plan: LatencyPlan,
  log: (line: string) => void,
): Promise<LatencyBenchResult> {
  const endpoint = await startLatencyEndpoint(plan.profile, plan.seed, log);
  const prefetch = plan.prefetch ?? INFER_DEFAULTS.prefetch;
  try {
    const backend = await selectBackend('infer', log);
    const setupS3 = s3Client(endpoint.direct);
    const setup: Setup = {
      setupS3,
      workerS3: s3Client(endpoint.endpoint),
      models: await createBucket(setupS3),
      results: await createBucket(setupS3),
      proxy: endpoint.proxy,
    };
    const inputsBucket = await createBucket(setupS3);
    await publishDigitsChampion(setupS3, setup.models);
    const digits = benchInputs(plan.images, DIGITS_INPUT);
    const pngs = digits.pngs.map((body, i) => ({
      name: `${String(i).padStart(6, '0')}.png`,
      body,
    }));
    const single = await uploadInputs(
      setupS3,
      inputsBucket,
      pngs.map((png) => ({ key: `single/${png.name}`, body: png.body })),
      64,
    );
    const tars = await Promise.all(
      Array.from({ length: Math.ceil(plan.images / plan.perTar) }, async (_, t) => ({
        key: `packed/${t}.tar`,
        body: await tarOf(pngs.slice(t * plan.perTar, (t + 1) * plan.perTar)),
      })),
    );
    const packed = await uploadInputs(setupS3, inputsBucket, tars);
    const inputs = digits.inputs;
    const serverGetsPerSecond = serverGetRate(
      `${endpoint.direct}/${inputsBucket}/${single[0].key}`,
      plan.serverSeconds,
      SERVER_CONCURRENCY,
    );
    log(`gofakes3 serves ${serverGetsPerSecond.toFixed(0)} small GETs/s (Go client, no proxy)`);

    const computeRates: number[] = [];
    const directRates: number[] = [];
    const directEfficiencies: number[] = [];
    const rows = plan.inFlight.map((inFlight) => ({
      inFlight,
      rates: [] as number[],
      efficiencies: [] as number[],
      traffic: [] as RunTraffic[],
    }));
    const layouts = [
      { name: 'one per object', items: single, recordsPerObject: 1 },
      { name: `${plan.perTar} per tar`, items: packed, recordsPerObject: plan.perTar },
    ].map((layout) => ({
      ...layout,
      rates: [] as number[],
      efficiencies: [] as number[],
    }));
    const model = await resolveModel(setupS3, setup.models, { name: 'digits' });
    for (let round = 0; round < plan.rounds; round++) {
      const scorer = await loadScorer(model, setupS3);
      const compute = await computeRate(scorer, inputs, plan.images).finally(() =>
        scorer.dispose(),
      );
      computeRates.push(compute);
      log(`round ${round + 1}: compute only ${compute.toFixed(0)} records/s`);
      for (const row of rows) {
        const run = await shardRate(
          setup,
          single,
          plan.images,
          shardOptions(setup.results, prefetch, row.inFlight),
          backend,
        );
        row.rates.push(run.rate);
        row.efficiencies.push(run.rate / compute);
        row.traffic.push(run.traffic);
        log(
          `round ${round + 1}: ${row.inFlight} in flight: ${run.rate.toFixed(0)} records/s, efficiency ${(run.rate / compute).toFixed(2)}, ${run.traffic.stalls} stalls, ${run.traffic.retried} retried`,
        );
      }
      for (const layout of layouts) {
        const run = await shardRate(
          setup,
          layout.items,
          plan.images,
          shardOptions(setup.results, prefetch),
          backend,
        );
        layout.rates.push(run.rate);
        layout.efficiencies.push(run.rate / compute);
        log(`round ${round + 1}: ${layout.name}: ${run.rate.toFixed(0)} records/s`);
      }
      const direct = await shardRate(
        setup,
        single,
        plan.images,
        shardOptions(setup.results, prefetch),
        backend,
        setupS3,
      );
      directRates.push(direct.rate);
      directEfficiencies.push(direct.rate / compute);
      log(`round ${round + 1}: no injected latency: ${direct.rate.toFixed(0)} records/s`);
    }
    const meanBytes = (items: readonly ManifestItem[]) =>
      items.reduce((sum, item) => sum + item.size, 0) / items.length;
    return {
      backend,
      profile: plan.profile,
      seed: plan.seed,
      images: plan.images,
      meanObjectBytes: meanBytes(single),
      batchSize: INFER_DEFAULTS.batchSize,
      decodeThreads: INFER_DEFAULTS.decodeThreads,
      serverGetsPerSecond,
      serverConcurrency: SERVER_CONCURRENCY,
      computeRates,
      rows,
      layouts: layouts.map(({ name, items, recordsPerObject, rates, efficiencies }) => ({
        name,
        objects: items.length,
        meanObjectBytes: meanBytes(items),
        recordsPerObject,
        rates,
        efficiencies,
      })),
      directRates,
      directEfficiencies,
      defaults: { concurrency: INFER_DEFAULTS.concurrency, prefetch },
    };
  } finally {
    await endpoint.stop();
  }
}
