import type { ErrorCode } from './records';

/**
 * The batch summary (summaries/<batch-id>/batch.json, written once by the finisher) and the
 * completion event that carries the same facts on EventBridge. Version them when a field
 * changes meaning (docs/contracts.md, JSON Schemas in ./schemas/).
 */
export const BATCH_SUMMARY_SCHEMA_VERSION = 1;
export const COMPLETION_EVENT_SCHEMA_VERSION = 1;

/**
 * SUCCEEDED: every shard wrote its summary (records may still have failed: see counts.failed);
 * PARTIAL: some shards did; FAILED: none did.
 */
export const BATCH_STATUSES = ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A shard SUCCEEDED when its shard summary exists, the worker's last write. */
export const SHARD_STATUSES = ['SUCCEEDED', 'FAILED'] as const;
export type ShardStatus = (typeof SHARD_STATUSES)[number];

/** The terminal AWS Batch job states the finisher is invoked for. */
export const JOB_END_STATUSES = ['SUCCEEDED', 'FAILED'] as const;
export type JobEndStatus = (typeof JOB_END_STATUSES)[number];

export interface RecordCounts {
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ShardOutcome {
  readonly shard: number;
  readonly status: ShardStatus;
  /** From the shard summary; absent for a failed shard. */
  readonly counts?: RecordCounts;
  /** The model version the shard scored with; absent for a failed shard. */
  readonly modelVersion?: string;
  /** Why the shard failed; only for a failed shard. */
  readonly reason?: string;
  /** Keys in the results bucket; a failed shard may have written its errors (error budget). */
  readonly resultKey: string;
  readonly errorKey: string;
  readonly summaryKey: string;
}

export interface BatchSummary {
  readonly schemaVersion: typeof BATCH_SUMMARY_SCHEMA_VERSION;
  readonly batchId: string;
  readonly status: BatchStatus;
  /** The AWS Batch job that ran the batch (the array parent, or the plain job of one shard). */
  readonly job: {
    readonly id: string;
    readonly name: string;
    readonly status: JobEndStatus;
    readonly statusReason?: string;
  };
  readonly model: {
    readonly name: string;
    /** The version every finished shard scored with; absent when none finished or they differ. */
    readonly version?: string;
  };
  /** Bucket of every key below. */
  readonly resultsBucket: string;
  readonly manifestKey: string;
  readonly counts: RecordCounts & {
    readonly files: number;
    readonly shards: number;
    readonly shardsSucceeded: number;
    readonly shardsFailed: number;
  };
  /** Failed records per error code over the finished shards; codes with none are absent. */
  readonly errorsByCode: Readonly<Partial<Record<ErrorCode, number>>>;
  /** SubmitJob time. */
  readonly submittedAt: string;
  /** When the job started; its submit time when it never started. */
  readonly startedAt: string;
  readonly endedAt: string;
  /** endedAt - startedAt. */
  readonly durationMs: number;
  /** One per shard, in shard order. */
  readonly shards: readonly ShardOutcome[];
  /** The result and error objects of the succeeded shards, complete and ready to read. */
  readonly resultKeys: readonly string[];
  readonly errorKeys: readonly string[];
}

/** The EventBridge `source` of completion events; custom sources must not start with `aws.`. */
export const COMPLETION_EVENT_SOURCE = 'gbi.batch-inference';

export const COMPLETION_DETAIL_TYPES = {
  completed: 'Batch Completed',
  failed: 'Batch Failed',
} as const;
export type CompletionDetailType =
  (typeof COMPLETION_DETAIL_TYPES)[keyof typeof COMPLETION_DETAIL_TYPES];

/** SUCCEEDED batches are "Batch Completed"; PARTIAL and FAILED ones "Batch Failed". */
export function completionDetailType(status: BatchStatus): CompletionDetailType {
  return status === 'SUCCEEDED'
    ? COMPLETION_DETAIL_TYPES.completed
    : COMPLETION_DETAIL_TYPES.failed;
}

/**
 * The `detail` of a completion event: the batch summary's facts plus an id to deduplicate on
 * (the event may be delivered more than once; the summary is written once). The three lists are
 * left out when the event would exceed EventBridge's entry size limit; batch.json has them.
 */
export type CompletionEventDetail = Omit<
  BatchSummary,
  'schemaVersion' | 'shards' | 'resultKeys' | 'errorKeys'
> & {
  readonly schemaVersion: typeof COMPLETION_EVENT_SCHEMA_VERSION;
  /** `<batchId>:<status>`: the same for every delivery of the same batch's completion. */
  readonly eventId: string;
  /** Key of batch.json in resultsBucket. */
  readonly summaryKey: string;
  readonly shards?: BatchSummary['shards'];
  readonly resultKeys?: BatchSummary['resultKeys'];
  readonly errorKeys?: BatchSummary['errorKeys'];
};

export function completionEventId(summary: Pick<BatchSummary, 'batchId' | 'status'>): string {
  return `${summary.batchId}:${summary.status}`;
}
