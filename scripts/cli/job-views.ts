import { BatchClient, DescribeJobsCommand, ListJobsCommand } from '@aws-sdk/client-batch';
import { inferJobName } from '../../lib/contracts/job-contract';
import { loadExecutorState } from '../local/executor/executor-state';
import { ALL_STATUSES } from '../local/executor/discover-jobs';
import { executorStateFile } from '../local/local-runtime';
import type { LocalState } from '../local/local-state';

/** A job's status wherever it ran: AWS Batch, or the local executor's record. */
export interface JobView {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: string;
  readonly reason?: string;
  /** Per array child (index order); empty for a plain job. */
  readonly children: readonly {
    readonly index: number;
    readonly status: string;
    readonly reason?: string;
  }[];
  readonly createdAt?: string;
  /** Where its output is: a local log file, or the CloudWatch log stream. */
  readonly log?: string;
}

/** The local executor's record is the truth locally: the emulator marks every job SUCCEEDED. */
export function localJobViews(local: LocalState): JobView[] {
  const state = loadExecutorState(executorStateFile(local.stateDirectory));
  return Object.values(state.jobs).map((job) => ({
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    reason: job.reason,
    createdAt: job.discoveredAt,
    log:
      job.children.find((child) => child.status === 'FAILED')?.logFile ?? job.children[0]?.logFile,
    children: job.children
      .filter((child) => child.index !== undefined)
      .map((child) => ({ index: child.index!, status: child.status, reason: child.reason })),
  }));
}

/** The infer job of a batch in AWS Batch, with each array child's status. */
export async function batchJobView(
  batch: BatchClient,
  jobQueue: string,
  batchId: string,
): Promise<JobView | undefined> {
  const jobName = inferJobName(batchId);
  const { jobSummaryList = [] } = await batch.send(
    new ListJobsCommand({ jobQueue, filters: [{ name: 'JOB_NAME', values: [jobName] }] }),
  );
  const parent = jobSummaryList.find((job) => job.jobName === jobName && !job.jobId?.includes(':'));
  if (!parent?.jobId) return undefined;
  const { jobs = [] } = await batch.send(new DescribeJobsCommand({ jobs: [parent.jobId] }));
  const detail = jobs[0];
  const children: { index: number; status: string; reason?: string }[] = [];
  if (detail?.arrayProperties?.size) {
    for (const jobStatus of ALL_STATUSES) {
      let nextToken: string | undefined;
      do {
        const page = await batch.send(
          new ListJobsCommand({ arrayJobId: parent.jobId, jobStatus, nextToken }),
        );
        for (const child of page.jobSummaryList ?? []) {
          const index = child.arrayProperties?.index ?? Number(child.jobId?.split(':')[1]);
          children.push({ index, status: jobStatus, reason: child.statusReason });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
  return {
    jobId: parent.jobId,
    jobName,
    status: detail?.status ?? parent.status ?? 'UNKNOWN',
    reason: detail?.statusReason,
    children: children.sort((a, b) => a.index - b.index),
  };
}

/** The job of a batch, locally from the executor's record, else from AWS Batch. */
export async function jobForBatch(
  batchId: string,
  jobQueue: string,
  local: LocalState | undefined,
): Promise<JobView | undefined> {
  if (local) return localJobViews(local).find((job) => job.jobName === inferJobName(batchId));
  return batchJobView(new BatchClient({}), jobQueue, batchId);
}

/** The most recent jobs of the queue, newest last, with their status. */
export async function recentJobs(
  jobQueue: string,
  local: LocalState | undefined,
  count: number,
): Promise<JobView[]> {
  if (local) return localJobViews(local).slice(-count);
  const batch = new BatchClient({});
  const jobs: JobView[] = [];
  for (const jobStatus of ALL_STATUSES) {
    const { jobSummaryList = [] } = await batch.send(new ListJobsCommand({ jobQueue, jobStatus }));
    for (const job of jobSummaryList) {
      jobs.push({
        jobId: job.jobId!,
        jobName: job.jobName ?? '',
        status: jobStatus,
        reason: job.statusReason,
        createdAt: job.createdAt ? new Date(job.createdAt).toISOString() : undefined,
        children: [],
      });
    }
  }
  return jobs.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '')).slice(-count);
}
