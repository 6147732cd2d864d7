import { BatchClient, JobSummary, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { InferJobParameters, inferJobName } from '../../lib/contracts/job-contract';
import { SubmitJobError } from './errors';
import { backoffMs, isRetryable, sleep } from './retry';
import { AccessCall } from '../../lib/contracts/access';

/**
 * Children of an array job carry the parent's name. AWS lists them only under arrayJobId, but
 * moto lists them in the queue too; their ids are `<parent id>:<index>`
 * (AWS Batch User Guide, "Array jobs").
 */
function isArrayChild(job: JobSummary): boolean {
  return job.arrayProperties?.index !== undefined || (job.jobId ?? '').includes(':');
}

export interface BatchJobRequest {
  readonly batchId: string;
  readonly manifestUrl: string;
  readonly shardCount: number;
}

export interface SubmittedBatchJob {
  readonly jobId: string;
  readonly jobName: string;
  /** True when the job existed already (an earlier attempt's submission went through). */
  readonly found: boolean;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_SUBMIT_RETRY: RetryPolicy = { attempts: 5, baseMs: 200, capMs: 5_000 };

/**
 * Submits one job per batch. SubmitJob has no idempotency token, so every attempt first looks
 * the deterministic job name up in the queue and only submits when no job has it.
 */
export class JobSubmitter {
  constructor(
    private readonly batch: BatchClient,
    private readonly jobQueue: string,
    private readonly jobDefinition: string,
    private readonly retry: RetryPolicy = DEFAULT_SUBMIT_RETRY,
  ) {}

  /** The id of the job named `jobName` in the queue, in any status, if there is one. */
  async findJob(jobName: string): Promise<string | undefined> {
    let nextToken: string | undefined;
    const matches: { jobId: string; createdAt: number }[] = [];
    do {
      // With filters, ListJobs ignores jobStatus and returns jobs in every status
      // (AWS Batch API Reference, ListJobs).
      const page = await this.batch.send(
        new ListJobsCommand({
          jobQueue: this.jobQueue,
          filters: [{ name: 'JOB_NAME', values: [jobName] }],
          nextToken,
        }),
      );
      for (const job of page.jobSummaryList ?? []) {
        if (job.jobName === jobName && job.jobId && !isArrayChild(job)) {
          matches.push({ jobId: job.jobId, createdAt: job.createdAt ?? 0 });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
    matches.sort((a, b) => a.createdAt - b.createdAt);
    return matches[0]?.jobId;
  }

  async submit(request: BatchJobRequest): Promise<SubmittedBatchJob> {
    const jobName = inferJobName(request.batchId);
    const parameters: InferJobParameters = { manifest: request.manifestUrl };
    for (let attempt = 0; ; attempt += 1) {
      const existing = await this.findJob(jobName);
      if (existing) return { jobId: existing, jobName, found: true };
      try {
        const { jobId } = await this.batch.send(
          new SubmitJobCommand({
            jobName,
            jobQueue: this.jobQueue,
            jobDefinition: this.jobDefinition,
            parameters: { ...parameters },
            // Array jobs need 2 to 10,000 children; one shard runs as a plain job.
            ...(request.shardCount > 1 ? { arrayProperties: { size: request.shardCount } } : {}),
          }),
        );
        if (!jobId) throw new SubmitJobError(`SubmitJob for ${jobName} returned no jobId`);
        return { jobId, jobName, found: false };
      } catch (error) {
        if (!isRetryable(error) || attempt + 1 >= this.retry.attempts) {
          throw new SubmitJobError(
            `SubmitJob ${jobName} failed after ${attempt + 1} attempt(s): ${(error as Error).message}`,
            { cause: error },
          );
        }
        await sleep(backoffMs(attempt, this.retry.baseMs, this.retry.capMs));
      }
    }
  }
}

/** The AWS calls of this module (lib/contracts/access.ts); `gbi submit` makes them too. */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['batcher', 'operator'],
    sdk: 'ListJobsCommand',
    action: 'batch:ListJobs',
    resources: ['*'],
    why: "looks a batch's job up by name before submitting, as SubmitJob has no idempotency token",
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'SubmitJobCommand',
    action: 'batch:SubmitJob',
    resources: [{ arn: 'jobQueue' }, { arn: 'inferJobDefinition' }],
    why: "submits a closed batch's array job with the deployed inference job definition",
  },
];
