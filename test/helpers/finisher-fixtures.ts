import type { BatchManifest } from '../../lib/contracts/manifest';
import { shardCountFor } from '../../lib/contracts/manifest';
import type { ErrorCode, ShardSummary } from '../../lib/contracts/records';
import type { BatchJobStateChangeEvent } from '../../lambda/finisher/job-state-change';
import { jobStateChangeEvent, JobStateFacts } from '../../scripts/local/executor/job-state-event';

export const RESULTS_BUCKET = 'gbi-results';
export const JOB_QUEUE = 'arn:aws:batch:us-east-1:123456789012:job-queue/gbi-jobs';
export const INFER_DEFINITION = 'arn:aws:batch:us-east-1:123456789012:job-definition/gbi-infer:3';

/** A manifest of `files` inputs in shards of `shardSize`. */
export function manifestOf(batchId: string, files: number, shardSize: number): BatchManifest {
  return {
    schemaVersion: 1,
    batchId,
    createdAt: '2026-12-02T10:00:00.000Z',
    model: { name: 'digits' },
    shardSize,
    shardCount: shardCountFor(files, shardSize),
    items: Array.from({ length: files }, (_, i) => ({
      bucket: 'gbi-input',
      key: `incoming/${i}.png`,
      size: 100 + i,
      etag: `etag${i}`,
    })),
  };
}

/** A shard summary as the worker writes it. */
export function shardSummaryOf(
  batchId: string,
  shard: number,
  counts: { ok: number; failed?: number; skipped?: number },
  errorsByCode: Partial<Record<ErrorCode, number>> = {},
  version = 'v0001',
): ShardSummary {
  return {
    schemaVersion: 1,
    batchId,
    shard,
    model: { name: 'digits', version },
    backend: 'tensorflow',
    counts: { ok: counts.ok, failed: counts.failed ?? 0, skipped: counts.skipped ?? 0 },
    errorsByCode,
    timings: {
      startedAt: '2026-12-02T10:01:00.000Z',
      finishedAt: '2026-12-02T10:02:00.000Z',
      totalMs: 60000,
      downloadMs: 1,
      decodeMs: 1,
      inferenceMs: 1,
      writeMs: 1,
    },
  };
}

export const CREATED_AT = Date.UTC(2026, 11, 2, 10, 0, 30);
export const STARTED_AT = Date.UTC(2026, 11, 2, 10, 1, 0);
export const STOPPED_AT = Date.UTC(2026, 11, 2, 10, 3, 30);

/** The end of an inference job of `batchId`, as AWS Batch reports it; override any fact. */
export function jobEndEvent(
  batchId: string,
  overrides: Partial<JobStateFacts> = {},
  bucket = RESULTS_BUCKET,
): BatchJobStateChangeEvent {
  return jobStateChangeEvent(
    {
      jobId: '0d1f5a52-7c45-4b33-9d4e-0a7c0b0c1e11',
      jobName: `gbi-infer-${batchId}`,
      jobQueue: JOB_QUEUE,
      jobDefinition: INFER_DEFINITION,
      status: 'SUCCEEDED',
      createdAt: CREATED_AT,
      startedAt: STARTED_AT,
      stoppedAt: STOPPED_AT,
      parameters: { manifest: `s3://${bucket}/manifests/${batchId}/manifest.json` },
      array: { size: 2, statusSummary: { SUCCEEDED: 2 } },
      ...overrides,
    },
    { account: '123456789012', region: 'us-east-1', time: new Date(STOPPED_AT + 1500) },
  );
}
