import {
  BatchClient,
  DescribeJobsCommand,
  JobDetail,
  JobStatus,
  ListJobsCommand,
} from '@aws-sdk/client-batch';
import type { SubmittedJob } from './job-command';

/**
 * ListJobs without a status filter lists only RUNNING jobs on AWS, and moto moves a job through
 * every state within moments of SubmitJob, so each status is listed.
 */
export const ALL_STATUSES: readonly JobStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** DescribeJobs accepts at most 100 ids per call. */
const DESCRIBE_LIMIT = 100;

/** Ids of the parent and plain jobs in the queue; array children (`<parent>:<index>`) excluded. */
export async function listQueueJobIds(batch: BatchClient, jobQueue: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const jobStatus of ALL_STATUSES) {
    let nextToken: string | undefined;
    do {
      const page = await batch.send(new ListJobsCommand({ jobQueue, jobStatus, nextToken }));
      for (const job of page.jobSummaryList ?? []) {
        if (job.jobId && !job.jobId.includes(':')) ids.add(job.jobId);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return [...ids];
}

export function toSubmittedJob(detail: JobDetail): SubmittedJob {
  return {
    jobId: detail.jobId!,
    jobName: detail.jobName ?? detail.jobId!,
    jobDefinition: detail.jobDefinition ?? '',
    jobQueue: detail.jobQueue,
    parameters: detail.parameters ?? {},
    command: detail.container?.command ?? [],
    environment: Object.fromEntries(
      (detail.container?.environment ?? [])
        .filter((pair) => pair.name !== undefined)
        .map((pair) => [pair.name!, pair.value ?? '']),
    ),
    arraySize: detail.arrayProperties?.size,
    createdAt: detail.createdAt,
  };
}

/** The jobs in the queue that `known` does not hold yet, described. */
export async function discoverNewJobs(
  batch: BatchClient,
  jobQueue: string,
  known: (jobId: string) => boolean,
): Promise<SubmittedJob[]> {
  const fresh = (await listQueueJobIds(batch, jobQueue)).filter((id) => !known(id));
  const jobs: SubmittedJob[] = [];
  for (let start = 0; start < fresh.length; start += DESCRIBE_LIMIT) {
    const { jobs: details = [] } = await batch.send(
      new DescribeJobsCommand({ jobs: fresh.slice(start, start + DESCRIBE_LIMIT) }),
    );
    jobs.push(...details.map(toSubmittedJob));
  }
  return jobs.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
}
