import type { ErrorCode } from '../../lib/contracts/records';
import type { BatchResults } from './batch-results';

export interface BatchSummary {
  readonly batchId: string;
  readonly model: string;
  readonly files: number;
  readonly shards: number;
  readonly shardsDone: number;
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  readonly errorsByCode: Readonly<Partial<Record<ErrorCode, number>>>;
  /** First reason seen per error code: what an operator reads first. */
  readonly exampleReasons: Readonly<Partial<Record<ErrorCode, string>>>;
  /** Slowest shard's wall time, and the sum over shards of each stage. */
  readonly slowestShardMs: number;
  readonly stageMs: {
    readonly download: number;
    readonly decode: number;
    readonly inference: number;
    readonly write: number;
  };
  /** Files of the manifest with neither a result nor an error record (yet). */
  readonly unaccounted: number;
}

/** Counts and timings of a batch from what its shards wrote. */
export function summarizeBatch(batch: BatchResults): BatchSummary {
  const errorsByCode: Partial<Record<ErrorCode, number>> = {};
  const exampleReasons: Partial<Record<ErrorCode, string>> = {};
  for (const error of batch.errors) {
    errorsByCode[error.code] = (errorsByCode[error.code] ?? 0) + 1;
    exampleReasons[error.code] ??= `${error.source.key}: ${error.reason}`;
  }
  const seen = new Set(
    [...batch.results, ...batch.errors].map(
      (record) => `${record.source.bucket}/${record.source.key}`,
    ),
  );
  const sum = (pick: (timings: BatchResults['summaries'][number]['timings']) => number) =>
    batch.summaries.reduce((total, summary) => total + pick(summary.timings), 0);
  const versions = [...new Set(batch.results.map((r) => `${r.model.name}@${r.model.version}`))];
  return {
    batchId: batch.manifest.batchId,
    model:
      versions.join(', ') ||
      `${batch.manifest.model.name}${batch.manifest.model.version ? `@${batch.manifest.model.version}` : ''}`,
    files: batch.manifest.items.length,
    shards: batch.manifest.shardCount,
    shardsDone: batch.summaries.length,
    ok: batch.results.length,
    failed: batch.errors.length,
    skipped: batch.summaries.reduce((total, s) => total + s.counts.skipped, 0),
    errorsByCode,
    exampleReasons,
    slowestShardMs: Math.max(0, ...batch.summaries.map((s) => s.timings.totalMs)),
    stageMs: {
      download: sum((t) => t.downloadMs),
      decode: sum((t) => t.decodeMs),
      inference: sum((t) => t.inferenceMs),
      write: sum((t) => t.writeMs),
    },
    unaccounted: batch.manifest.items.filter((item) => !seen.has(`${item.bucket}/${item.key}`))
      .length,
  };
}

export interface BatchProgress {
  readonly files: number;
  readonly shards: number;
  readonly shardsDone: number;
  /** Counts over the finished shards, from their summaries. */
  readonly ok: number;
  readonly failed: number;
}

/** Progress from the manifest and the shard summaries alone: cheap for large batches. */
export function batchProgress(batch: Pick<BatchResults, 'manifest' | 'summaries'>): BatchProgress {
  return {
    files: batch.manifest.items.length,
    shards: batch.manifest.shardCount,
    shardsDone: batch.summaries.length,
    ok: batch.summaries.reduce((total, s) => total + s.counts.ok, 0),
    failed: batch.summaries.reduce((total, s) => total + s.counts.failed, 0),
  };
}
