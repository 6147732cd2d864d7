import type { BatcherContext } from './batcher-context';
import type { BatchHeader } from './buffer-store';
import { freezeManifest } from './freeze-manifest';

/**
 * submitted: this call submitted the job. found: an earlier attempt had, its id is recorded
 * now. empty: every claimed item had moved to other batches, so there is nothing to run.
 * busy: another invocation holds the submit lease.
 */
export type FinishOutcome = 'submitted' | 'found' | 'empty' | 'busy';

/**
 * Takes a closed batch to SUBMITTED: freeze its manifest, take the submit lease, submit the
 * job unless one with its name exists, record the job. If this invocation dies anywhere in
 * between, the lease expires after the invocation's deadline and the next trigger resumes.
 */
export async function finishBatch(
  header: BatchHeader,
  ctx: BatcherContext,
): Promise<FinishOutcome> {
  const { batchId } = header;
  const { log } = ctx;
  if (header.state === 'SUBMITTING' && (header.leaseUntil ?? 0) >= ctx.now()) return 'busy';
  const manifest = await freezeManifest(batchId, header, ctx);
  if (!manifest) throw new Error(`batch ${batchId}: no manifest could be frozen`);
  const owner = ctx.invocationId;
  if (!(await ctx.store.acquireSubmitLease(batchId, owner, ctx.now(), ctx.leaseUntil()))) {
    return 'busy';
  }
  const manifestUrl = ctx.manifests.url(batchId);
  const fileCount = manifest.items.length;
  try {
    if (fileCount === 0) {
      await ctx.store.markSubmitted(
        batchId,
        owner,
        { manifestUrl, fileCount, shardCount: 0 },
        ctx.now(),
      );
      log.info('batch empty: its items moved to other batches, no job', {
        batchId,
        manifestUrl,
      });
      return 'empty';
    }
    const job = await ctx.jobs.submit({ batchId, manifestUrl, shardCount: manifest.shardCount });
    const submittedAt = ctx.now();
    await ctx.store.markSubmitted(
      batchId,
      owner,
      { ...job, manifestUrl, fileCount, shardCount: manifest.shardCount },
      submittedAt,
    );
    const latency = submittedAt - (header.closedAt ?? header.createdAt);
    ctx.metrics.add('SubmitLatency', latency, { batchId });
    log.info(job.found ? 'job found from an earlier attempt' : 'job submitted', {
      batchId,
      jobId: job.jobId,
      jobName: job.jobName,
      manifestUrl,
      fileCount,
      shardCount: manifest.shardCount,
      submitLatencyMs: latency,
    });
    return job.found ? 'found' : 'submitted';
  } catch (error) {
    await ctx.store.releaseSubmitLease(batchId, owner).catch((releaseError: unknown) =>
      log.error('submit lease not released; it expires at its deadline', {
        batchId,
        error: releaseError,
      }),
    );
    throw error;
  }
}
