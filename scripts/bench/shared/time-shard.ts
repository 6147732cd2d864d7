import type { S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import type { ShardSummary } from '../../../lib/contracts/records';
import { runShard } from '../../../container/src/infer/run-shard';
import type { ShardOptions } from '../../../container/src/infer/shard-run';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { buildManifest } from '../../../test/helpers/worker-batch-fixture';

export interface TimedShardInput {
  /** The client the worker reads inputs and writes outputs with. */
  readonly s3: S3Client;
  /** The client the champion is loaded with, outside the timing. @default s3 */
  readonly modelS3?: S3Client;
  readonly modelsBucket: string;
  readonly modelName: string;
  /** Unique per run, so no run resumes another's checkpoints. */
  readonly batchId: string;
  readonly items: readonly ManifestItem[];
  readonly options: ShardOptions;
  readonly backend: string;
  /** Starts something that runs while the shard is timed (a sampler); returns its stop. */
  readonly during?: () => () => void;
}

export interface TimedShard {
  readonly summary: ShardSummary;
  /** From the shard's start to its summary written; the model loads before it. */
  readonly ms: number;
}

/**
 * One whole shard as the worker runs it (silent, never stopped), with the champion loaded
 * beforehand so only the pipeline is timed: what every end-to-end bench measures.
 */
export async function timeShard(input: TimedShardInput): Promise<TimedShard> {
  const modelS3 = input.modelS3 ?? input.s3;
  const model = await resolveModel(modelS3, input.modelsBucket, { name: input.modelName });
  const scorer = await loadScorer(model, modelS3);
  const manifest = buildManifest(input.batchId, { name: input.modelName }, input.items);
  const stopDuring = input.during?.();
  const start = performance.now();
  try {
    const summary = await runShard({
      s3: input.s3,
      manifest,
      model,
      scorer,
      backend: input.backend,
      log: () => undefined,
      stop: new AbortController().signal,
      options: input.options,
    });
    return { summary, ms: performance.now() - start };
  } finally {
    stopDuring?.();
    scorer.dispose();
  }
}

/** Records/s of a shard that had to score all `records`; names the layout that did not. */
export function allScoredRate({ summary, ms }: TimedShard, records: number, what: string): number {
  if (summary.counts.ok !== records) {
    throw new Error(`${what}: ${summary.counts.ok} of ${records} records scored`);
  }
  return (records * 1000) / ms;
}
