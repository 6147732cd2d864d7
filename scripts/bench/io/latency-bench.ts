import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { getObjectsWithSdk } from '../../../container/src/infer/input/download-object';
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
import { getCost } from './get-cost';
import { startLatencyEndpoint } from './s3-endpoint';
import { LatencyStats, RunningS3Server, serverGetRate } from './s3-server';
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

/**
 * How the worker GETs its input: the lean signed GET it ships with, or the SDK's GetObject (the
 * baseline the lean path replaced).
 */
export type GetPath = 'lean' | 'sdk';
export const GET_PATHS: readonly GetPath[] = ['lean', 'sdk'];

/** What the latency port saw during one shard run. */
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
  readonly path: GetPath;
  readonly objects: number;
  readonly meanObjectBytes: number;
  readonly recordsPerObject: number;
  readonly rates: readonly number[];
  readonly efficiencies: readonly number[];
}

/** GET-only cost of one path: every small object read whole, nothing decoded or scored. */
export interface GetCostRow {
  readonly path: GetPath;
  readonly inFlight: number;
  /** One per round. */
  readonly getsPerSecond: readonly number[];
  /** Client CPU per GET in microseconds, one per round. */
  readonly cpuUsPerGet: readonly number[];
}

export interface LatencyBenchResult {
  readonly backend: string;
  readonly profile: LatencyProfile;
  readonly seed: number;
  readonly images: number;
  readonly meanObjectBytes: number;
  readonly batchSize: number;
  readonly decodeThreads: number;
  /** Small GETs/s the S3 server serves itself (Go load generator, no latency, no SDK). */
  readonly serverGetsPerSecond: number;
  readonly serverConcurrency: number;
  /** Small GETs/s the latency port carries with the profile's delays (Go load generator). */
  readonly latencyPortGetsPerSecond: number;
  readonly latencyPortConcurrency: number;
  /** Client CPU per GET of each path, straight to the server. */
  readonly getCosts: readonly GetCostRow[];
  /** Compute-only records/s (scorer on in-memory inputs), one per round. */
  readonly computeRates: readonly number[];
  readonly rows: readonly InFlightRow[];
  /** The archive comparison, run at the worker's defaults, for each GET path. */
  readonly layouts: readonly LayoutRow[];
  /**
   * The one-per-object shard at the worker's defaults straight to the server, no
   * injected latency, one per round: what this host's CPU allows the worker.
   */
  readonly directRates: readonly number[];
  readonly directEfficiencies: readonly number[];
  readonly defaults: { readonly concurrency: number; readonly prefetch: number };
}

const SERVER_CONCURRENCY = 64;
/** Enough connections that the profile's delays, not the count, bound the latency port's rate. */
const LATENCY_PORT_CONCURRENCY = 1024;
/** GETs in flight of the GET-only cost measurement (as issue 21 measured the SDK). */
const GET_COST_IN_FLIGHT = 128;

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
  /** The worker's client, each path: through the latency port. */
  readonly workerS3: Readonly<Record<GetPath, S3Client>>;
  readonly models: string;
  readonly results: string;
  readonly server: RunningS3Server;
}

const traffic = (before: LatencyStats, after: LatencyStats): RunTraffic => ({
  requests: after.requests - before.requests,
  stalls: after.stalls - before.stalls,
  retried: after.abandoned - before.abandoned,
  peakInFlight: after.peakInFlight,
});

/** End-to-end records/s of one whole shard as the worker runs it, and the latency port's view. */
async function shardRate(
  setup: Setup,
  items: readonly ManifestItem[],
  records: number,
  options: ShardOptions,
  backend: string,
  s3 = setup.workerS3.lean,
) {
  await setup.server.resetPeakInFlight();
  const before = await setup.server.latencyStats();
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
  return { rate, traffic: traffic(before, await setup.server.latencyStats()) };
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
 * The latency benchmark: the worker's records/s against in-flight requests on gofakes3's latency
 * port, its pipeline efficiency against compute-only measured in the same round, the server's
 * and the latency port's raw GET rates, the client CPU per GET of the lean and the SDK path, and
 * the same digits one per object against packed in tars through each path.
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
      workerS3: {
        lean: s3Client(endpoint.endpoint),
        sdk: getObjectsWithSdk(s3Client(endpoint.endpoint)),
      },
      models: await createBucket(setupS3),
      results: await createBucket(setupS3),
      server: endpoint.server,
    };
    const directS3: Record<GetPath, S3Client> = {
      lean: s3Client(endpoint.direct),
      sdk: getObjectsWithSdk(s3Client(endpoint.direct)),
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
    log(`gofakes3 serves ${serverGetsPerSecond.toFixed(0)} small GETs/s (Go client, no latency)`);
    const latencyPortGetsPerSecond = serverGetRate(
      `${endpoint.endpoint}/${inputsBucket}/${single[0].key}`,
      plan.serverSeconds,
      LATENCY_PORT_CONCURRENCY,
    );
    log(
      `its latency port carries ${latencyPortGetsPerSecond.toFixed(0)} small GETs/s (Go client, ${LATENCY_PORT_CONCURRENCY} connections)`,
    );
    // Both paths read everything once untimed first: compiled code and open connections,
    // as a worker has them after its first objects.
    for (const path of GET_PATHS) await getCost(directS3[path], single, GET_COST_IN_FLIGHT);
    const getCosts = GET_PATHS.map((path) => ({
      path,
      inFlight: GET_COST_IN_FLIGHT,
      getsPerSecond: [] as number[],
      cpuUsPerGet: [] as number[],
    }));

    const computeRates: number[] = [];
    const directRates: number[] = [];
    const directEfficiencies: number[] = [];
    const rows = plan.inFlight.map((inFlight) => ({
      inFlight,
      rates: [] as number[],
      efficiencies: [] as number[],
      traffic: [] as RunTraffic[],
    }));
    const layouts = GET_PATHS.flatMap((path) =>
      [
        { name: 'one per object', items: single, recordsPerObject: 1 },
        { name: `${plan.perTar} per tar`, items: packed, recordsPerObject: plan.perTar },
      ].map((layout) => ({
        ...layout,
        path,
        rates: [] as number[],
        efficiencies: [] as number[],
      })),
    );
    const model = await resolveModel(setupS3, setup.models, { name: 'digits' });
    for (let round = 0; round < plan.rounds; round++) {
      const scorer = await loadScorer(model, setupS3);
      const compute = await computeRate(scorer, inputs, plan.images).finally(() =>
        scorer.dispose(),
      );
      computeRates.push(compute);
      log(`round ${round + 1}: compute only ${compute.toFixed(0)} records/s`);
      for (const row of getCosts) {
        const cost = await getCost(directS3[row.path], single, row.inFlight);
        row.getsPerSecond.push(cost.getsPerSecond);
        row.cpuUsPerGet.push(cost.cpuUsPerGet);
        log(
          `round ${round + 1}: ${row.path} GETs only: ${cost.getsPerSecond.toFixed(0)} GETs/s, ${cost.cpuUsPerGet.toFixed(0)} us of client CPU per GET`,
        );
      }
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
          setup.workerS3[layout.path],
        );
        layout.rates.push(run.rate);
        layout.efficiencies.push(run.rate / compute);
        log(`round ${round + 1}: ${layout.path} ${layout.name}: ${run.rate.toFixed(0)} records/s`);
      }
      const direct = await shardRate(
        setup,
        single,
        plan.images,
        shardOptions(setup.results, prefetch),
        backend,
        directS3.lean,
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
      latencyPortGetsPerSecond,
      latencyPortConcurrency: LATENCY_PORT_CONCURRENCY,
      getCosts,
      computeRates,
      rows,
      layouts: layouts.map(({ name, path, items, recordsPerObject, rates, efficiencies }) => ({
        name,
        path,
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
