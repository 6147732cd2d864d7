import {
  BATCH_SUMMARY_SCHEMA_VERSION,
  type BatchStatus,
  type BatchSummary,
  type ShardOutcome,
} from '../../lib/contracts/batch-summary';
import { resultKeys } from '../../lib/contracts/keys';
import type { BatchManifest } from '../../lib/contracts/manifest';
import type { ErrorCode, ShardSummary } from '../../lib/contracts/records';
import type { EndedJob } from './job-state-change';

export interface SummaryInput {
  readonly job: EndedJob;
  readonly manifest: BatchManifest;
  readonly resultsBucket: string;
  /** The shard summaries found, by shard number; a shard without one failed. */
  readonly shardSummaries: ReadonlyMap<number, ShardSummary>;
}

/** SUCCEEDED when every shard wrote its summary, PARTIAL when some did, FAILED when none did. */
export function batchStatus(shards: number, succeeded: number): BatchStatus {
  if (succeeded === shards) return 'SUCCEEDED';
  return succeeded === 0 ? 'FAILED' : 'PARTIAL';
}

function failedReason(job: EndedJob): string {
  const how = job.statusReason ? `${job.status}: ${job.statusReason}` : job.status;
  return `no shard summary: the shard did not finish (job ${how})`;
}

/**
 * The batch summary from the job's end, the manifest and the shard summaries present. Pure, so
 * every outcome is unit-tested; the same input always gives the same summary.
 */
export function buildBatchSummary(input: SummaryInput): BatchSummary {
  const { job, manifest, shardSummaries } = input;
  const { batchId } = manifest;
  const errorsByCode: Partial<Record<ErrorCode, number>> = {};
  const counts = { ok: 0, failed: 0, skipped: 0 };
  const versions = new Set<string>();
  const shards: ShardOutcome[] = [];
  for (let shard = 0; shard < manifest.shardCount; shard += 1) {
    const keys = {
      resultKey: resultKeys.results(batchId, shard),
      errorKey: resultKeys.errors(batchId, shard),
      summaryKey: resultKeys.summary(batchId, shard),
    };
    const summary = shardSummaries.get(shard);
    if (!summary) {
      shards.push({ shard, status: 'FAILED', reason: failedReason(job), ...keys });
      continue;
    }
    counts.ok += summary.counts.ok;
    counts.failed += summary.counts.failed;
    counts.skipped += summary.counts.skipped;
    for (const [code, n] of Object.entries(summary.errorsByCode) as [ErrorCode, number][]) {
      if (n > 0) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
    }
    versions.add(summary.model.version);
    shards.push({
      shard,
      status: 'SUCCEEDED',
      counts: { ...summary.counts },
      modelVersion: summary.model.version,
      ...keys,
    });
  }
  const succeeded = shards.filter((s) => s.status === 'SUCCEEDED');
  const startedAt = job.startedAt ?? job.createdAt;
  const endedAt = Math.max(job.stoppedAt, startedAt);
  return {
    schemaVersion: BATCH_SUMMARY_SCHEMA_VERSION,
    batchId,
    status: batchStatus(manifest.shardCount, succeeded.length),
    job: {
      id: job.jobId,
      name: job.jobName,
      status: job.status,
      ...(job.statusReason ? { statusReason: job.statusReason } : {}),
    },
    model: {
      name: manifest.model.name,
      ...(versions.size === 1 ? { version: [...versions][0] } : {}),
    },
    resultsBucket: input.resultsBucket,
    manifestKey: resultKeys.manifest(batchId),
    counts: {
      files: manifest.items.length,
      shards: manifest.shardCount,
      shardsSucceeded: succeeded.length,
      shardsFailed: manifest.shardCount - succeeded.length,
      ...counts,
    },
    errorsByCode,
    submittedAt: new Date(job.createdAt).toISOString(),
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: endedAt - startedAt,
    shards,
    resultKeys: succeeded.map((s) => s.resultKey),
    errorKeys: succeeded.map((s) => s.errorKey),
  };
}
