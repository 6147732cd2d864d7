import type { BatcherContext } from './batcher-context';

/** OPEN to CLOSED, counted once by whichever invocation wins; false if it was closed already. */
export async function closeBatch(
  batchId: string,
  reason: string,
  ctx: BatcherContext,
): Promise<boolean> {
  const closed = await ctx.store.closeBatch(batchId, reason, ctx.now());
  if (closed) {
    ctx.log.info('batch closed', { batchId, reason });
    ctx.metrics.add('BatchesClosed', 1, { reason, batchId });
  }
  return closed;
}
