import type { ShardSummary } from '../../../lib/contracts/records';

/** Every uploaded file must end with exactly one result record or exactly one error record. */
export interface FileAccounting {
  readonly uploaded: number;
  readonly results: number;
  readonly errors: number;
  /** Uploaded keys with no record at all. */
  readonly missing: readonly string[];
  /** Keys with more than one record (results and errors together). */
  readonly duplicated: readonly string[];
  /** Records for keys that were never uploaded. */
  readonly unexpected: readonly string[];
}

export function accountFiles(
  uploaded: readonly string[],
  resultKeys: readonly string[],
  errorKeys: readonly string[],
): FileAccounting {
  const seen = new Map<string, number>();
  for (const key of [...resultKeys, ...errorKeys]) seen.set(key, (seen.get(key) ?? 0) + 1);
  const expected = new Set(uploaded);
  return {
    uploaded: uploaded.length,
    results: resultKeys.length,
    errors: errorKeys.length,
    missing: uploaded.filter((key) => !seen.has(key)),
    duplicated: [...seen.entries()].filter(([, n]) => n > 1).map(([key]) => key),
    unexpected: [...seen.keys()].filter((key) => !expected.has(key)),
  };
}

export const accountedExactlyOnce = (a: FileAccounting) =>
  a.missing.length === 0 && a.duplicated.length === 0 && a.unexpected.length === 0;

/** One closed batch, as the run observed it. */
export interface BatchTrace {
  readonly batchId: string;
  /** When the first of its files finished uploading (epoch ms). */
  readonly firstUploadMs: number;
  /** manifest.createdAt: the batch closed. */
  readonly closedMs: number;
  /** The array job's createdAt: SubmitJob returned. */
  readonly submittedMs: number;
  readonly shards: readonly ShardSummary[];
}

export interface PhaseStat {
  readonly phase: string;
  readonly meanMs: number;
  readonly maxMs: number;
  readonly what: string;
}

export interface RunTimeline {
  readonly files: number;
  readonly batches: number;
  readonly shards: number;
  readonly uploadMs: number;
  /** First upload started to last shard summary written. */
  readonly totalMs: number;
  /** First upload started to last batch closed: how fast the batcher took the files in. */
  readonly batchingSpanMs: number;
  readonly phases: readonly PhaseStat[];
  /** Upload done to its shard's summary, over every file. */
  readonly fileLatencyMs: { readonly mean: number; readonly p50: number; readonly max: number };
}

const stat = (phase: string, what: string, values: readonly number[]): PhaseStat => ({
  phase,
  what,
  meanMs: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  maxMs: Math.max(0, ...values),
});

const at = (iso: string) => new Date(iso).getTime();

/**
 * Splits the run into the pipeline's phases, per batch and per shard: accumulate (first file of
 * a batch uploaded -> batch closed), submit (closed -> array job created), job start (job
 * created -> worker scoring: executor pick-up, process start, backend and model load),
 * inference (download, decode and score) and write (results, errors, summary).
 */
export function runTimeline(
  uploadStartMs: number,
  uploadEndMs: number,
  uploadedAtMs: ReadonlyMap<string, number>,
  batches: readonly BatchTrace[],
  shardOfKey: ReadonlyMap<string, ShardSummary>,
): RunTimeline {
  const shards = batches.flatMap((b) => b.shards.map((s) => ({ batch: b, shard: s })));
  const latencies = [...uploadedAtMs.entries()]
    .filter(([key]) => shardOfKey.has(key))
    .map(([key, uploaded]) => at(shardOfKey.get(key)!.timings.finishedAt) - uploaded)
    .sort((a, b) => a - b);
  const end = Math.max(uploadEndMs, ...shards.map(({ shard }) => at(shard.timings.finishedAt)));
  return {
    files: uploadedAtMs.size,
    batches: batches.length,
    shards: shards.length,
    uploadMs: uploadEndMs - uploadStartMs,
    totalMs: end - uploadStartMs,
    batchingSpanMs: Math.max(0, ...batches.map((b) => b.closedMs)) - uploadStartMs,
    phases: [
      stat(
        'accumulate',
        'first file of a batch uploaded -> batch closed (manifest written)',
        batches.map((b) => b.closedMs - b.firstUploadMs),
      ),
      stat(
        'submit',
        'batch closed -> array job submitted',
        batches.map((b) => b.submittedMs - b.closedMs),
      ),
      stat(
        'job start',
        'job submitted -> shard scoring starts (executor pick-up, process start, model load)',
        shards.map(({ batch, shard }) => at(shard.timings.startedAt) - batch.submittedMs),
      ),
      stat(
        'inference',
        'download, decode and score the shard (overlapped)',
        shards.map(({ shard }) => shard.timings.totalMs - shard.timings.writeMs),
      ),
      stat(
        'write',
        'checkpoint parts, results, errors and summary objects',
        shards.map(({ shard }) => shard.timings.writeMs),
      ),
    ],
    fileLatencyMs: {
      mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      p50: latencies[Math.floor(latencies.length / 2)] ?? 0,
      max: latencies[latencies.length - 1] ?? 0,
    },
  };
}
