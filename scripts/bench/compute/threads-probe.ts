/**
 * One thread setting of `npm run bench:threads`, in its own process because TensorFlow reads
 * TF_NUM_INTRAOP_THREADS and TF_NUM_INTEROP_THREADS once, when the binding creates its context.
 * The parent (scripts/bench/compute/bench-threads.ts) sets those, the emulator's environment and
 * BENCH_THREADS_BUCKET (holding the registered digit model); this prints one JSON ProbeResult.
 */
import { availableParallelism } from 'node:os';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { decodePool } from '../../../container/src/infer/input/decode-pool';
import { inlineDecoder } from '../../../container/src/infer/input/decoder';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { prepareTrainingBackend } from '../../../container/src/train/training-backend';
import { benchInputs } from '../shared/bench-inputs';
import { BENCH_MODEL_NAME } from '../shared/bench-model';
import { ourThroughput, ThroughputRow } from '../shared/our-throughput';
import { trainingDigits, trainingThroughput } from './train-throughput';

export interface ProbeRequest {
  readonly batchSizes: readonly number[];
  readonly minSeconds: number;
  readonly trainBatchSize: number;
  readonly trainSamples: number;
  readonly trainRepeats: number;
}

export interface ProbeResult {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly rows: readonly ThroughputRow[];
  readonly trainSamplesPerSecond: number;
}

async function main(): Promise<void> {
  const bucket = process.env.BENCH_THREADS_BUCKET;
  const request = JSON.parse(process.env.BENCH_THREADS_REQUEST ?? 'null') as ProbeRequest | null;
  if (!bucket || !request) {
    throw new Error('threads-probe: BENCH_THREADS_BUCKET and BENCH_THREADS_REQUEST must be set');
  }
  // Training's backend choice is inference's plus gradient kernels on wasm; both are tfjs-node here.
  await prepareTrainingBackend((line) => process.stderr.write(`${line}\n`), {
    ...process.env,
    TFJS_BACKEND: 'tfjs-node',
  });
  const s3 = s3Client();
  const resolved = await resolveModel(s3, bucket, { name: BENCH_MODEL_NAME });
  const scorer = await loadScorer(resolved, s3);
  const decodeThreads = Math.max(0, availableParallelism() - 1);
  const decoder =
    decodeThreads > 0 ? decodePool(decodeThreads, { timeoutMs: 60_000 }) : inlineDecoder();
  try {
    const { pngs, inputs } = benchInputs(256, resolved.metadata.input);
    const rows: ThroughputRow[] = [];
    for (const batchSize of request.batchSizes) {
      rows.push(
        await ourThroughput(
          {
            scorer,
            spec: resolved.metadata.input,
            labels: resolved.metadata.labels,
            inputs,
            pngs,
            decoder,
          },
          batchSize,
          request.minSeconds,
        ),
      );
    }
    const trainSamplesPerSecond = await trainingThroughput(
      trainingDigits(request.trainSamples),
      request.trainBatchSize,
      request.trainRepeats,
    );
    const result: ProbeResult = {
      intraOpThreads: Number(process.env.TF_NUM_INTRAOP_THREADS),
      interOpThreads: Number(process.env.TF_NUM_INTEROP_THREADS),
      rows,
      trainSamplesPerSecond,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await decoder.close();
    scorer.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`threads-probe: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
