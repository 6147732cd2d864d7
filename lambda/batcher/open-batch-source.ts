import type { BatcherContext } from './batcher-context';
import { newBatchId } from './batch-id';
import { PlacementError } from './errors';

/** Supplies the OPEN batch that newly claimed items go to. */
export interface OpenBatchSource {
  current(): Promise<string>;
}

const MAX_ATTEMPTS = 10;

/**
 * The shared current batch, named by the POINTER record: every invocation adds to it until it
 * closes, then one of them publishes the next (the conditional publish lets only one win).
 */
export function sharedOpenBatch(ctx: BatcherContext): OpenBatchSource {
  const { store } = ctx;
  const startNew = async (replacing: string | undefined): Promise<string | undefined> => {
    const fresh = newBatchId(ctx.now());
    if (!(await store.publishCurrentBatch(fresh, replacing))) return undefined;
    await store.createBatch(fresh, ctx.now());
    ctx.log.info('batch opened', { batchId: fresh });
    return fresh;
  };
  return {
    async current() {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const batchId = await store.readCurrentBatchId();
        if (batchId === undefined) {
          const fresh = await startNew(undefined);
          if (fresh) return fresh;
          continue;
        }
        // A publisher that died before creating the header leaves that to whoever comes next.
        let header = await store.getBatch(batchId);
        if (!header) {
          await store.createBatch(batchId, ctx.now());
          header = await store.getBatch(batchId);
        }
        if (header?.state === 'OPEN') return batchId;
        const fresh = await startNew(batchId);
        if (fresh) return fresh;
      }
      throw new PlacementError(`no open batch after ${MAX_ATTEMPTS} attempts: too much contention`);
    },
  };
}

/**
 * Batches of the caller's own, never published: a backfill fills them without mixing its
 * listing into the batch that live uploads go to. `opened` lists every batch it created.
 */
export function dedicatedOpenBatch(ctx: BatcherContext): OpenBatchSource & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async current() {
      const last = opened[opened.length - 1];
      if (last !== undefined && (await ctx.store.getBatch(last))?.state === 'OPEN') return last;
      const fresh = newBatchId(ctx.now());
      await ctx.store.createBatch(fresh, ctx.now());
      opened.push(fresh);
      ctx.log.info('batch opened', { batchId: fresh, dedicated: true });
      return fresh;
    },
  };
}
