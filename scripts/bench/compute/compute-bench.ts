import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../../container/src/backend/choose-backend';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { inputShape } from '../../../container/src/model/validate-metadata';
import { decodePool } from '../../../container/src/infer/input/decode-pool';
import { Decoder, inlineDecoder } from '../../../container/src/infer/input/decoder';
import { availableParallelism } from 'node:os';
import { benchInputs } from '../shared/bench-inputs';
import { registerBenchModel } from '../shared/bench-model';
import type { BenchPlan } from '../shared/bench-size';
import { KernelProfile, profileScore } from './kernel-profile';
import { LayerFlops, layerFlops, modelFlops } from './model-flops';
import { opOverheadMicroseconds } from './op-overhead';
import { median, medianRows } from '../shared/median-rows';
import { ourThroughput, ThroughputRow } from '../shared/our-throughput';
import { MatmulPeak, matmulPeak } from './peak-matmul';
import { exportPeerWork } from './peer-export';
import { ensurePeerVenv, PeerResult, runPeer } from './peer-runner';

export interface PeerRun {
  readonly label: string;
  readonly result: PeerResult;
}

/** Our worker's compute path on one backend; rates are medians over the plan's rounds. */
export interface BackendRun {
  readonly backend: BackendName;
  /** TensorFlow's thread pools on tfjs-node; 1 and 1 on wasm (no thread pool under Node). */
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly ours: readonly ThroughputRow[];
  readonly profile: KernelProfile;
  /** What one tiny op costs beside its arithmetic (engine, binding), in microseconds. */
  readonly opOverheadMicroseconds: number;
  /** Largest |score difference| from the first backend measured, on the same 32 inputs. */
  readonly maxAbsDiffFromFirst: number;
}

/** Everything the peer and physical-limit sections report, from one run. */
export interface ComputeBenchResult {
  readonly runs: readonly BackendRun[];
  /** Backends of the plan that could not be measured, and why (tfjs-node not built, say). */
  readonly skippedBackends: readonly { readonly backend: string; readonly reason: string }[];
  readonly wasmThreads: number;
  /** Decode threads beside the model thread, as the worker's default (cores - 1). */
  readonly decodeThreads: number;
  readonly peers: readonly PeerRun[];
  readonly peerSkipReason?: string;
  /** Rounds of ours-then-peer each rate is the median of. */
  readonly rounds: number;
  readonly peaks: readonly MatmulPeak[];
  readonly flopsPerImage: number;
  readonly layers: readonly LayerFlops[];
  readonly nodeVersion: string;
  readonly tfjsVersion: string;
}

const INPUT_POOL = 256;
const PROFILE_BATCH = 128;
const TOP_K = 3;
const EXPECTED_COUNT = 32;

/** The tf backend a worker backend name runs as: both native bindings register 'tensorflow'. */
export function tfBackendName(backend: string): string {
  return backend === 'tfjs-node' || backend === 'tfjs-node-gpu' ? 'tensorflow' : backend;
}

async function activate(backend: BackendName, log: (line: string) => void): Promise<void> {
  await selectBackend('infer', log, { ...process.env, TFJS_BACKEND: backend });
}

function threadsOf(backend: BackendName): { intraOpThreads: number; interOpThreads: number } {
  if (backend !== 'tfjs-node' && backend !== 'tfjs-node-gpu') {
    return { intraOpThreads: wasm.getThreadsCount(), interOpThreads: 1 };
  }
  // selectBackend put the worker's defaults (or the caller's values) there before the load.
  return {
    intraOpThreads: Number(process.env.TF_NUM_INTRAOP_THREADS),
    interOpThreads: Number(process.env.TF_NUM_INTEROP_THREADS),
  };
}

const maxAbsDiff = (a: readonly Float32Array[], b: readonly Float32Array[]) =>
  Math.max(...a.flatMap((row, i) => Array.from(row, (v, j) => Math.abs(v - b[i][j]))));

/**
 * Measures our worker's compute path on each backend of the plan (the model loaded through the
 * worker's resolveModel + loadScorer on each), the backends' matmul peaks, and (unless the plan
 * skips it) the Python TensorFlow peer on the same model, weights, inputs and batch sizes, once
 * per thread setting our backends ran with. Rounds alternate our backends and the peer, and each
 * rate is the median over the rounds, so load that comes and goes falls on both sides.
 */
export async function runComputeBench(
  plan: BenchPlan,
  s3: S3Client,
  bucket: string,
  log: (line: string) => void,
): Promise<ComputeBenchResult> {
  const available: BackendName[] = [];
  const skippedBackends: { backend: string; reason: string }[] = [];
  for (const backend of plan.backends) {
    try {
      await activate(backend, log);
      available.push(backend);
    } catch (error) {
      const reason = (error as Error).message;
      log(`backend ${backend} skipped: ${reason}`);
      skippedBackends.push({ backend, reason });
    }
  }
  if (available.length === 0)
    throw new Error('bench: none of the plan backends could be activated');
  // Peaks switch the active backend; each run activates its own after.
  const peaks: MatmulPeak[] = [];
  for (const backend of [...available, 'cpu']) {
    const size = backend === 'cpu' ? Math.min(plan.matmulSize, 256) : plan.matmulSize;
    peaks.push({
      ...(await matmulPeak(tfBackendName(backend), size, plan.minSeconds)),
      backend,
    });
  }
  log(
    `matmul peaks: ${peaks.map((p) => `${p.backend} ${p.gflops.toFixed(2)} GFLOP/s`).join(', ')}`,
  );

  await activate(available[0], log);
  const bench = await registerBenchModel(s3, bucket);
  bench.scorer.dispose();
  const decodeThreads = Math.max(0, availableParallelism() - 1);
  const decoder: Decoder =
    decodeThreads > 0 ? decodePool(decodeThreads, { timeoutMs: 60_000 }) : inlineDecoder();
  try {
    const { metadata } = bench.resolved;
    const { pngs, inputs } = benchInputs(INPUT_POOL, metadata.input);
    const extras = new Map<BackendName, Omit<BackendRun, 'backend' | 'ours'>>();
    const ourRounds = new Map<BackendName, ThroughputRow[][]>();
    const peerRounds = new Map<string, PeerResult[]>();
    let expected: Float32Array[] | undefined;
    const workdir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
    try {
      for (let round = 1; round <= plan.rounds; round++) {
        for (const backend of available) {
          await activate(backend, log);
          const scorer = await loadScorer(bench.resolved, s3);
          try {
            const scores = await scorer.score(inputs.slice(0, EXPECTED_COUNT));
            expected ??= scores;
            const ours: ThroughputRow[] = [];
            for (const batchSize of plan.batchSizes) {
              const row = await ourThroughput(
                { scorer, spec: metadata.input, labels: metadata.labels, inputs, pngs, decoder },
                batchSize,
                plan.minSeconds,
              );
              log(
                `round ${round} ${backend} batch ${batchSize}: compute ${row.computeImagesPerSecond.toFixed(0)}/s, end to end ${row.endToEndImagesPerSecond.toFixed(0)}/s`,
              );
              ours.push(row);
            }
            ourRounds.set(backend, [...(ourRounds.get(backend) ?? []), ours]);
            if (!extras.has(backend)) {
              const profileBatch = Math.min(PROFILE_BATCH, Math.max(...plan.batchSizes));
              extras.set(backend, {
                ...threadsOf(backend),
                profile: await profileScore(scorer, inputs.slice(0, profileBatch)),
                opOverheadMicroseconds: await opOverheadMicroseconds(plan.minSeconds),
                maxAbsDiffFromFirst: maxAbsDiff(scores, expected),
              });
            }
          } finally {
            scorer.dispose();
          }
        }
        if (plan.peerSkipReason !== undefined || expected === undefined) continue;
        if (round === 1) {
          ensurePeerVenv(log);
          await exportPeerWork(workdir, bench.model, inputs, pngs, expected, {
            batchSizes: plan.batchSizes,
            minSeconds: plan.minSeconds,
            topK: TOP_K,
            inputShape: inputShape(metadata),
          });
        }
        // The peer runs with each thread setting one of our backends ran with.
        const settings = new Map(
          [...extras.values()].map((e) => [`${e.intraOpThreads}/${e.interOpThreads}`, e] as const),
        );
        for (const [setting, { intraOpThreads, interOpThreads }] of settings) {
          const result = runPeer(workdir, intraOpThreads, interOpThreads);
          log(
            `round ${round} peer intra-op ${intraOpThreads} / inter-op ${interOpThreads}: compute ${result.rows.map((r) => r.computeImagesPerSecond.toFixed(0)).join('/')}/s, max |score difference| ${result.maxAbsDiff.toExponential(2)}`,
          );
          peerRounds.set(setting, [...(peerRounds.get(setting) ?? []), result]);
        }
      }
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
    if (plan.peerSkipReason !== undefined) log(`peer skipped: ${plan.peerSkipReason}`);
    const runs: BackendRun[] = available.map((backend) => ({
      backend,
      ...(extras.get(backend) as Omit<BackendRun, 'backend' | 'ours'>),
      ours: medianRows(ourRounds.get(backend) ?? []),
    }));
    const peers: PeerRun[] = [...peerRounds.values()].map((results) => {
      const first = results[0];
      const result: PeerResult = {
        ...first,
        maxAbsDiff: Math.max(...results.map((r) => r.maxAbsDiff)),
        rows: medianRows(results.map((r) => r.rows)),
        matmulGflops: median(results.map((r) => r.matmulGflops)),
      };
      return {
        label: `TensorFlow ${first.tensorflowVersion}, intra-op ${first.intraOpThreads} / inter-op ${first.interOpThreads}`,
        result,
      };
    });
    return {
      runs,
      skippedBackends,
      wasmThreads: wasm.getThreadsCount(),
      decodeThreads,
      peers,
      peerSkipReason: plan.peerSkipReason,
      rounds: plan.rounds,
      peaks,
      flopsPerImage: modelFlops(bench.model),
      layers: layerFlops(bench.model),
      nodeVersion: process.version,
      tfjsVersion: tf.version.tfjs,
    };
  } finally {
    await decoder.close();
    bench.model.dispose();
  }
}
