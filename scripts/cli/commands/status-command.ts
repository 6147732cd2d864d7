import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { listBatchIds, readBatchResults } from '../batch-results';
import { Command, parseCommandArgs } from '../command';
import { UsageError } from '../errors';
import { jobForBatch, JobView, recentJobs } from '../job-views';
import { batchProgress, summarizeBatch } from '../summarize-batch';

const HELP = `usage: gbi status [--batch <batch-id>] [--last N]

Without --batch: the queues (waiting uploads, dead letters) and the last batches with their job
status and counts. With --batch: that batch's job, each shard's progress and its errors.
Locally the job status comes from the local executor's record (the emulator marks every job
SUCCEEDED at once); on AWS from AWS Batch.

options
  --batch ID   one batch in detail
  --last N     how many recent batches to list (default 10)`;

async function queueDepth(queueUrl: string): Promise<string> {
  const { Attributes = {} } = await sqsClient().send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return `${Attributes.ApproximateNumberOfMessages ?? '?'} waiting, ${Attributes.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight`;
}

function jobLine(job: JobView | undefined): string {
  if (!job) return 'no job found';
  const counts = new Map<string, number>();
  for (const child of job.children) counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
  const children = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  return `${job.status}${children ? ` (${children})` : ''}`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'queues, batches, jobs, per-shard progress and errors',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('status', args, {
      batch: { type: 'string' },
      last: { type: 'string' },
    });
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const last = Number(parsed.values.last ?? 10);
    if (!Number.isInteger(last) || last < 1) {
      throw new UsageError(
        `status: --last: expected a positive integer, got '${String(parsed.values.last)}'`,
      );
    }
    const stack = await context.stack();
    const s3 = s3Client();
    const { io } = context;
    const batchId = parsed.values.batch as string | undefined;
    if (batchId === undefined) {
      io.out(`stack          ${stack.stackName}`);
      io.out(`ingest queue   ${await queueDepth(stack.ingestQueueUrl)}`);
      io.out(`dead letters   ${await queueDepth(stack.deadLetterQueueUrl)}`);
      const jobs = await recentJobs(stack.jobQueue, context.local, last);
      io.out(
        `jobs           ${jobs.length === 0 ? 'none yet' : `last ${jobs.length}${context.local ? ', from the local executor' : ''}`}`,
      );
      for (const job of jobs) {
        io.out(
          `  ${job.createdAt ?? '-'} ${job.jobName} ${jobLine(job)}${job.reason ? `: ${job.reason}` : ''}${job.status === 'FAILED' && job.log ? ` (log ${job.log})` : ''}`,
        );
      }
      const ids = (await listBatchIds(s3, stack.resultsBucket)).slice(-last);
      if (ids.length === 0) io.out('batches        none yet');
      for (const id of ids) {
        const summary = batchProgress(
          await readBatchResults(s3, stack.resultsBucket, id, { results: false, errors: false }),
        );
        const job = await jobForBatch(id, stack.jobQueue, context.local);
        io.out(
          `batch ${id}: ${summary.files} files, ${summary.shardsDone}/${summary.shards} shards done, ${summary.ok} ok, ${summary.failed} failed; job ${jobLine(job)}`,
        );
      }
      return 0;
    }
    const results = await readBatchResults(s3, stack.resultsBucket, batchId, {
      results: false,
      errors: true,
    });
    const summary = summarizeBatch(results);
    const progress = batchProgress(results);
    const job = await jobForBatch(batchId, stack.jobQueue, context.local);
    io.out(`batch          ${batchId} (model ${summary.model})`);
    io.out(
      `files          ${summary.files} in ${summary.shards} shards of ${results.manifest.shardSize}`,
    );
    io.out(
      `job            ${job ? `${job.jobId} ` : ''}${jobLine(job)}${job?.reason ? `: ${job.reason}` : ''}`,
    );
    for (let shard = 0; shard < summary.shards; shard += 1) {
      const done = results.summaries.find((s) => s.shard === shard);
      const child = job?.children.find((c) => c.index === shard);
      const progress = done
        ? `done: ${done.counts.ok} ok, ${done.counts.failed} failed in ${(done.timings.totalMs / 1000).toFixed(1)} s`
        : 'no summary yet';
      io.out(
        `  shard ${String(shard).padStart(5)}  ${(child?.status ?? '-').padEnd(9)} ${progress}${child?.reason ? ` (${child.reason})` : ''}`,
      );
    }
    io.out(
      `counts         ${progress.ok} ok, ${progress.failed} failed in ${progress.shardsDone} finished shards`,
    );
    io.out(`errors         ${summary.failed}`);
    for (const [code, count] of Object.entries(summary.errorsByCode)) {
      io.out(
        `  ${code} x${count}, e.g. ${summary.exampleReasons[code as keyof typeof summary.exampleReasons]}`,
      );
    }
    return 0;
  },
};
