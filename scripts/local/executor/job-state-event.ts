import { randomUUID } from 'node:crypto';
import type {
  BatchJobDetail,
  BatchJobStateChangeEvent,
} from '../../../lambda/finisher/job-state-change';
import { BATCH_EVENT_SOURCE, JOB_STATE_CHANGE } from '../../../lambda/finisher/job-state-change';
import type { ChildRecord, JobRecord } from './executor-state';

/** The facts of a job that AWS Batch's state change event carries. */
export interface JobStateFacts {
  readonly jobId: string;
  readonly jobName: string;
  /** Job queue ARN. */
  readonly jobQueue: string;
  /** Job definition ARN, revision included. */
  readonly jobDefinition: string;
  readonly status: string;
  readonly statusReason?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly stoppedAt?: number;
  readonly parameters: Readonly<Record<string, string>>;
  /** For an array parent: its size and how many children ended in each state. */
  readonly array?: {
    readonly size: number;
    readonly statusSummary: Readonly<Record<string, number>>;
  };
  /** For an array child: its index. */
  readonly arrayIndex?: number;
}

export interface EventEnvelope {
  readonly account: string;
  readonly region: string;
  readonly time: Date;
  /** @default a random UUID, as EventBridge gives every event */
  readonly id?: string;
}

/**
 * The "Batch Job State Change" event AWS Batch puts on the default bus, as its documentation
 * shows it (AWS Batch User Guide, "AWS Batch job state change events"): the
 * detail is the JobDetail of DescribeJobs; an array parent carries `arrayProperties.size` and
 * `statusSummary`, a child `arrayProperties.index` and a `<parent>:<index>` id. Pure.
 */
export function jobStateChangeEvent(
  facts: JobStateFacts,
  envelope: EventEnvelope,
): BatchJobStateChangeEvent {
  const jobArn = `arn:aws:batch:${envelope.region}:${envelope.account}:job/${facts.jobId}`;
  const detail: BatchJobDetail = {
    jobArn,
    jobName: facts.jobName,
    jobId: facts.jobId,
    jobQueue: facts.jobQueue,
    status: facts.status,
    ...(facts.statusReason !== undefined ? { statusReason: facts.statusReason } : {}),
    createdAt: facts.createdAt,
    ...(facts.startedAt !== undefined ? { startedAt: facts.startedAt } : {}),
    ...(facts.stoppedAt !== undefined ? { stoppedAt: facts.stoppedAt } : {}),
    jobDefinition: facts.jobDefinition,
    parameters: { ...facts.parameters },
    ...(facts.array
      ? {
          arrayProperties: {
            statusSummary: { ...facts.array.statusSummary },
            size: facts.array.size,
          },
        }
      : facts.arrayIndex !== undefined
        ? { arrayProperties: { index: facts.arrayIndex } }
        : {}),
  };
  return {
    version: '0',
    id: envelope.id ?? randomUUID(),
    'detail-type': JOB_STATE_CHANGE,
    source: BATCH_EVENT_SOURCE,
    account: envelope.account,
    // EventBridge's envelope time has second precision.
    time: envelope.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: envelope.region,
    resources: [jobArn],
    detail,
  };
}

/** Region and account of an ARN (`arn:aws:batch:<region>:<account>:...`). */
function arnEnvelope(arn: string): { region: string; account: string } | undefined {
  const [prefix, , , region, account] = arn.split(':');
  return prefix === 'arn' && region && account ? { region, account } : undefined;
}

const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * The state change AWS Batch raises for a local job record: an array child's end (`child`
 * given), or the parent's or plain job's end. Undefined for a record made before the executor
 * kept the job queue, which it cannot address.
 */
export function jobStateChangeOf(
  job: JobRecord,
  child: ChildRecord | undefined,
  now: Date,
): BatchJobStateChangeEvent | undefined {
  const where = job.jobQueue ? arnEnvelope(job.jobQueue) : undefined;
  if (!where || !job.jobQueue) return undefined;
  const createdAt = job.createdAt ?? Date.parse(job.discoveredAt);
  const common = {
    jobName: job.jobName,
    jobQueue: job.jobQueue,
    jobDefinition: job.jobDefinition,
    createdAt,
    parameters: job.parameters ?? {},
  };
  const facts: JobStateFacts =
    child?.index !== undefined
      ? {
          ...common,
          jobId: `${job.jobId}:${child.index}`,
          status: child.status,
          ...(child.status === 'FAILED' && child.reason ? { statusReason: child.reason } : {}),
          startedAt: epoch(child.startedAt),
          stoppedAt: epoch(child.stoppedAt),
          arrayIndex: child.index,
        }
      : {
          ...common,
          jobId: job.jobId,
          status: job.status,
          ...(job.reason ? { statusReason: job.reason } : {}),
          startedAt: epoch(job.startedAt),
          stoppedAt: epoch(job.stoppedAt),
          ...(job.arraySize !== undefined
            ? { array: { size: job.arraySize, statusSummary: statusSummary(job.children) } }
            : {}),
        };
  return jobStateChangeEvent(facts, { ...where, time: now });
}

/** Children per state, every state named as DescribeJobs does for an array parent. */
function statusSummary(children: readonly ChildRecord[]): Record<string, number> {
  const summary: Record<string, number> = {
    STARTING: 0,
    FAILED: 0,
    RUNNING: 0,
    SUCCEEDED: 0,
    RUNNABLE: 0,
    SUBMITTED: 0,
    PENDING: 0,
  };
  for (const child of children) summary[child.status] += 1;
  return summary;
}
