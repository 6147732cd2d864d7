import type { EventBridgeEvent } from 'aws-lambda';
import { JOB_END_STATUSES, type JobEndStatus } from '../../lib/contracts/batch-summary';
import { NotOurJobError } from './errors';

/**
 * The part of AWS Batch's "Batch Job State Change" event the finisher reads. Its detail
 * resembles DescribeJobs' JobDetail: an array parent carries `arrayProperties.size`, a child
 * `arrayProperties.index`, a plain job neither
 * (AWS Batch User Guide, "AWS Batch job state change events").
 */
export interface BatchJobDetail {
  readonly jobArn?: string;
  readonly jobName: string;
  readonly jobId: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly status: string;
  readonly statusReason?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly stoppedAt?: number;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly arrayProperties?: {
    readonly size?: number;
    readonly index?: number;
    readonly statusSummary?: Readonly<Record<string, number>>;
  };
}

export const BATCH_EVENT_SOURCE = 'aws.batch';
export const JOB_STATE_CHANGE = 'Batch Job State Change';

export type BatchJobStateChangeEvent = EventBridgeEvent<typeof JOB_STATE_CHANGE, BatchJobDetail>;

/** What the finisher needs of an ended job: who it is, how it ended, and when. */
export interface EndedJob {
  readonly jobId: string;
  /** The job's ARN, which the completion event names as its resource. */
  readonly jobArn?: string;
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly status: JobEndStatus;
  readonly statusReason?: string;
  readonly createdAt: number;
  readonly startedAt?: number;
  /** The job's stop time, or the event's time when the job never recorded one. */
  readonly stoppedAt: number;
  /** s3:// URL of the manifest, the job's `manifest` parameter (lib/contracts/job-contract.ts). */
  readonly manifestUrl: string;
}

/**
 * Checks that the event is the end of an inference job's parent (or plain) job and names what
 * is wrong otherwise. The rule's pattern already filters these; the check makes a mis-routed
 * event (a hand-made test event, a rule edited by hand) fail clearly instead of half-working.
 */
export function parseJobStateChange(event: unknown): EndedJob {
  const e = event as Partial<BatchJobStateChangeEvent> | null;
  if (typeof e !== 'object' || e === null) {
    throw new NotOurJobError('event: expected an EventBridge event object');
  }
  if (e.source !== BATCH_EVENT_SOURCE || e['detail-type'] !== JOB_STATE_CHANGE) {
    throw new NotOurJobError(
      `event: expected source '${BATCH_EVENT_SOURCE}' and detail-type '${JOB_STATE_CHANGE}', got '${String(e.source)}' / '${String(e['detail-type'])}'`,
    );
  }
  const detail = e.detail;
  if (typeof detail !== 'object' || detail === null) {
    throw new NotOurJobError('detail: expected the job detail object');
  }
  const errors: string[] = [];
  if (typeof detail.jobId !== 'string' || detail.jobId.length === 0) {
    errors.push('detail.jobId: expected a non-empty string');
  }
  if (detail.arrayProperties?.index !== undefined) {
    errors.push(
      `detail.arrayProperties.index: ${detail.arrayProperties.index} is an array child; only the parent's end finishes a batch`,
    );
  }
  if (!(JOB_END_STATUSES as readonly string[]).includes(detail.status)) {
    errors.push(
      `detail.status: expected ${JOB_END_STATUSES.join(' or ')}, got '${String(detail.status)}'`,
    );
  }
  if (typeof detail.createdAt !== 'number') {
    errors.push('detail.createdAt: expected epoch milliseconds');
  }
  const manifestUrl = detail.parameters?.manifest;
  if (typeof manifestUrl !== 'string' || !manifestUrl.startsWith('s3://')) {
    errors.push(
      `detail.parameters.manifest: expected the s3:// URL of a batch manifest, got ${JSON.stringify(manifestUrl)}; is job ${String(detail.jobName)} an inference job of this pipeline?`,
    );
  }
  if (errors.length > 0) {
    throw new NotOurJobError(`not the end of an inference job: ${errors.join('; ')}`);
  }
  const eventTime = Date.parse(e.time ?? '');
  const jobArn = detail.jobArn ?? e.resources?.[0];
  return {
    jobId: detail.jobId,
    ...(jobArn ? { jobArn } : {}),
    jobName: detail.jobName ?? detail.jobId,
    jobQueue: detail.jobQueue,
    jobDefinition: detail.jobDefinition,
    status: detail.status as JobEndStatus,
    ...(detail.statusReason ? { statusReason: detail.statusReason } : {}),
    createdAt: detail.createdAt,
    ...(detail.startedAt !== undefined ? { startedAt: detail.startedAt } : {}),
    stoppedAt: detail.stoppedAt ?? (Number.isNaN(eventTime) ? detail.createdAt : eventTime),
    manifestUrl: manifestUrl!,
  };
}
