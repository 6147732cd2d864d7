import type { ErrorCode, ShardSummary } from '../../../../lib/contracts/records';
import { RECORDS_SCHEMA_VERSION } from '../../../../lib/contracts/records';
import type { PartMeta } from './checkpoint-parts';
import type { ShardContext } from './record-builders';

export interface ShardTotals {
  readonly counts: ShardSummary['counts'];
  readonly errorsByCode: Partial<Record<ErrorCode, number>>;
}

/** Counts over every part of the shard, those of earlier attempts included. */
export function shardTotals(parts: readonly PartMeta[]): ShardTotals {
  const counts = { ok: 0, failed: 0, skipped: 0 };
  const errorsByCode: Partial<Record<ErrorCode, number>> = {};
  for (const part of parts) {
    counts.ok += part.counts.ok;
    counts.failed += part.counts.failed;
    counts.skipped += part.counts.skipped;
    for (const [code, count] of Object.entries(part.errorsByCode) as [ErrorCode, number][]) {
      errorsByCode[code] = (errorsByCode[code] ?? 0) + count;
    }
  }
  return { counts, errorsByCode };
}

/** Time spent in each stage by this attempt; stages overlap, so they can add up to more than total. */
export interface StageTimings {
  readonly downloadMs: number;
  readonly decodeMs: number;
  readonly inferenceMs: number;
  readonly writeMs: number;
}

export function shardSummary(
  context: ShardContext,
  backend: string,
  totals: ShardTotals,
  stages: StageTimings,
  startedAt: Date,
  finishedAt: Date,
): ShardSummary {
  return {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    batchId: context.batchId,
    shard: context.shard,
    model: context.model,
    backend,
    counts: totals.counts,
    errorsByCode: totals.errorsByCode,
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      totalMs: finishedAt.getTime() - startedAt.getTime(),
      downloadMs: Math.round(stages.downloadMs),
      decodeMs: Math.round(stages.decodeMs),
      inferenceMs: Math.round(stages.inferenceMs),
      writeMs: Math.round(stages.writeMs),
    },
  };
}
