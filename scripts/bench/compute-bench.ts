import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../container/src/backend/select-backend';
import { inputShape } from '../../container/src/model/validate-metadata';
import { decodePool } from '../../container/src/infer/input/decode-pool';
import { Decoder, inlineDecoder } from '../../container/src/infer/input/decoder';
import { availableParallelism } from 'node:os';
import { benchInputs } from './bench-inputs';
import { registerBenchModel } from './bench-model';
import type { BenchPlan } from './bench-size';
import { KernelProfile, profileScore } from './kernel-profile';
import { LayerFlops, layerFlops, modelFlops } from './model-flops';
import { ourThroughput, ThroughputRow } from './our-throughput';
import { MatmulPeak, matmulPeak } from './peak-matmul';
import { exportPeerWork } from './peer-export';
import { ensurePeerVenv, PeerResult, runPeer } from './peer-runner';

export interface PeerRun {
  readonly label: string;
  readonly result: PeerResult;
}

/** Everything the peer and physical-limit sections report, from one run. */
export interface ComputeBenchResult {
  readonly backend: string;
  readonly wasmThreads: number;
  /** Decode threads beside the model thread, as the worker's default (cores - 1). */
  readonly decodeThreads: number;
  readonly ours: readonly ThroughputRow[];
  readonly peers: readonly PeerRun[];
  readonly peerSkipReason?: string;
  readonly peaks: readonly MatmulPeak[];
  readonly flopsPerImage: number;
  readonly layers: readonly LayerFlops[];
  readonly profile: KernelProfile;
  readonly nodeVersion: string;
  readonly tfjsVersion: string;
}

const INPUT_POOL = 256;
const PROFILE_BATCH = 128;
const TOP_K = 3;

/**
 * Measures our worker's compute path on wasm, the backends' matmul peaks, and (unless the plan
 * skips it) the Python TensorFlow peer on the same model, weights, inputs and batch sizes.
 */
export async function runComputeBench(
  plan: BenchPlan,
  s3: S3Client,
  bucket: string,
  log: (line: string) => void,
): Promise<ComputeBenchResult> {
  // Peaks first: each switches the active backend; the worker's choice is made after.
  const peaks = [
    await matmulPeak('wasm', plan.matmulSize, plan.minSeconds),
    await matmulPeak('cpu', Math.min(plan.matmulSize, 256), plan.minSeconds),
  ];
  log(
    `matmul peaks: ${peaks.map((p) => `${p.backend} ${p.gflops.toFixed(2)} GFLOP/s`).join(', ')}`,
  );
  const backend = await selectBackend('infer', log, { ...process.env, TFJS_BACKEND: '' });
  const bench = await registerBenchModel(s3, bucket);
  const decodeThreads = Math.max(0, availableParallelism() - 1);
  const decoder: Decoder =
    decodeThreads > 0 ? decodePool(decodeThreads, { timeoutMs: 60_000 }) : inlineDecoder();
  try {
    const { metadata } = bench.resolved;
    const { pngs, inputs } = benchInputs(INPUT_POOL, metadata.input);
    const ours: ThroughputRow[] = [];
    for (const batchSize of plan.batchSizes) {
      const row = await ourThroughput(
        {
          scorer: bench.scorer,
          spec: metadata.input,
          labels: metadata.labels,
          inputs,
          pngs,
          decoder,
        },
        batchSize,
        plan.minSeconds,
      );
      log(
        `ours batch ${batchSize}: compute ${row.computeImagesPerSecond.toFixed(0)}/s, end to end ${row.endToEndImagesPerSecond.toFixed(0)}/s`,
      );
      ours.push(row);
    }
    const profileBatch = Math.min(PROFILE_BATCH, Math.max(...plan.batchSizes));
    const profile = await profileScore(bench.scorer, inputs.slice(0, profileBatch));

    const peers: PeerRun[] = [];
    if (plan.peerSkipReason === undefined) {
      ensurePeerVenv(log);
      const workdir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
      try {
        const expected = await bench.scorer.score(inputs.slice(0, 32));
        await exportPeerWork(workdir, bench.model, inputs, pngs, expected, {
          batchSizes: plan.batchSizes,
          minSeconds: plan.minSeconds,
          topK: TOP_K,
          inputShape: inputShape(metadata),
        });
        for (const threads of plan.peerThreads) {
          const result = runPeer(workdir, threads);
          const label = `TensorFlow ${result.tensorflowVersion}, ${result.intraOpThreads === 0 ? `default threads (${result.cpuCount} cores)` : `${result.intraOpThreads} thread${result.intraOpThreads === 1 ? '' : 's'}`}`;
          log(`peer ${label}: max |score difference| ${result.maxAbsDiff.toExponential(2)}`);
          peers.push({ label, result });
        }
      } finally {
        rmSync(workdir, { recursive: true, force: true });
      }
    } else {
      log(`peer skipped: ${plan.peerSkipReason}`);
    }
    return {
      backend,
      wasmThreads: wasm.getThreadsCount(),
      decodeThreads,
      ours,
      peers,
      peerSkipReason: plan.peerSkipReason,
      peaks,
      flopsPerImage: modelFlops(bench.model),
      layers: layerFlops(bench.model),
      profile,
      nodeVersion: process.version,
      tfjsVersion: tf.version.tfjs,
    };
  } finally {
    await decoder.close();
    bench.scorer.dispose();
    bench.model.dispose();
  }
}
