import type { BatcherContext } from './batcher-context';
import { closeReason } from './batch-policy';
import type { BatchHeader } from './buffer-store';
import { closeBatch } from './close-batch';
import { finishBatch, FinishOutcome } from './finish-batch';

export interface SweepResult {
  readonly closed: readonly string[];
  readonly finished: readonly { readonly batchId: string; readonly outcome: FinishOutcome }[];
  /** Batches that failed this time and stay pending for the next trigger. */
  readonly failed: readonly string[];
}

async function sweepOne(
  header: BatchHeader,
  ctx: BatcherContext,
  closed: string[],
): Promise<FinishOutcome | undefined> {
  let current: BatchHeader | undefined = header;
  if (header.state === 'OPEN') {
    const reason = closeReason(header, ctx.now(), ctx.config.thresholds);
    if (!reason) return undefined;
    if (await closeBatch(header.batchId, reason, ctx)) closed.push(header.batchId);
    current = await ctx.store.getBatch(header.batchId);
    if (!current || current.state === 'OPEN' || current.state === 'SUBMITTED') return undefined;
  }
  return finishBatch(current, ctx);
}

/**
 * Closes batches that are full or have waited long enough and submits every closed one; run
 * by the once-a-minute schedule and after each SQS delivery. A batch that fails stays pending
 * for the next run, so a failure is logged, never thrown.
 */
export async function sweep(ctx: BatcherContext): Promise<SweepResult> {
  const closed: string[] = [];
  const finished: { batchId: string; outcome: FinishOutcome }[] = [];
  const failed: string[] = [];
  for (const header of await ctx.store.listUnsubmittedBatches()) {
    try {
      const outcome = await sweepOne(header, ctx, closed);
      if (outcome) finished.push({ batchId: header.batchId, outcome });
    } catch (error) {
      failed.push(header.batchId);
      ctx.log.error('batch not submitted; the next trigger retries it', {
        batchId: header.batchId,
        error,
      });
    }
  }
  return { closed, finished, failed };
}
