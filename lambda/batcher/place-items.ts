import { objectVersionId } from '../../lib/contracts/manifest';
import type { BatcherContext } from './batcher-context';
import { closeReason, countFitting, fullReason } from './batch-policy';
import type { BufferItem } from './buffer-item';
import type { BatchHeader } from './buffer-store';
import { closeBatch } from './close-batch';
import { PlacementError } from './errors';
import { freezeManifest } from './freeze-manifest';
import { mapLimit } from '../shared/map-limit';
import type { OpenBatchSource } from './open-batch-source';
import { backoffMs, sleep } from './retry';

export interface PlacementResult {
  /** Object versions now durably in a batch (new ones and confirmed duplicates). */
  readonly placed: number;
  /** Object versions that an earlier notification or delivery had claimed already. */
  readonly duplicates: number;
}

interface Pending {
  readonly item: BufferItem;
  readonly batchId: string;
}

interface GroupOutcome {
  readonly placed: number;
  readonly retry: readonly Pending[];
}

/** Parallel single-item requests; DynamoDB handles far more, Lambda sockets stay few. */
const REQUEST_CONCURRENCY = 16;
/** Rounds happen only under contention (a batch closing or filling meanwhile). */
const MAX_ROUNDS = 12;

/** Drops repeats of one object version inside a delivery (S3 can notify twice). */
export function uniqueItems(items: readonly BufferItem[]): BufferItem[] {
  const seen = new Map<string, BufferItem>();
  for (const item of items) {
    if (!seen.has(objectVersionId(item))) seen.set(objectVersionId(item), item);
  }
  return [...seen.values()];
}

function groupByBatch(pending: readonly Pending[]): Map<string, BufferItem[]> {
  const groups = new Map<string, BufferItem[]>();
  for (const { item, batchId } of pending) {
    const group = groups.get(batchId);
    if (group) group.push(item);
    else groups.set(batchId, [item]);
  }
  return groups;
}

const stay = (items: readonly BufferItem[], batchId: string): Pending[] =>
  items.map((item) => ({ item, batchId }));

/**
 * Adds items to an OPEN batch: reserve room under the thresholds, write the members, then read
 * the header again. Still OPEN means the batch was closed after the members were written, so
 * its manifest (built after closing) includes them. Otherwise the manifest decides, next round.
 */
async function addToOpenBatch(
  header: BatchHeader,
  items: readonly BufferItem[],
  ctx: BatcherContext,
): Promise<GroupOutcome> {
  const { batchId } = header;
  const { thresholds } = ctx.config;
  const fitting = countFitting(
    items.map((item) => item.size),
    header,
    thresholds,
  );
  if (fitting === 0) {
    await closeBatch(batchId, fullReason(header, items[0].size, thresholds), ctx);
    return { placed: 0, retry: stay(items, batchId) };
  }
  const taking = items.slice(0, fitting);
  const after = await ctx.store.reserve(batchId, taking, thresholds, ctx.now());
  if (!after) return { placed: 0, retry: stay(items, batchId) };
  await ctx.store.putMembers(batchId, taking, ctx.now());
  if ((await ctx.store.getBatch(batchId))?.state !== 'OPEN') {
    return { placed: 0, retry: stay(items, batchId) };
  }
  const reason =
    fitting < items.length
      ? fullReason(after, items[fitting].size, thresholds)
      : closeReason(after, ctx.now(), thresholds);
  if (reason) await closeBatch(batchId, reason, ctx);
  return { placed: fitting, retry: stay(items.slice(fitting), batchId) };
}

/**
 * Items claimed for a batch that takes no more: those in its final manifest are placed; the
 * rest move to the current batch (only if their claim still names this one).
 */
async function settleWithClosedBatch(
  batchId: string,
  header: BatchHeader | undefined,
  items: readonly BufferItem[],
  ctx: BatcherContext,
  source: OpenBatchSource,
): Promise<GroupOutcome> {
  const manifest = await freezeManifest(batchId, header, ctx);
  const included = new Set(manifest?.items.map(objectVersionId));
  const excluded = items.filter((item) => !included.has(objectVersionId(item)));
  if (excluded.length === 0) return { placed: items.length, retry: [] };
  const target = await source.current();
  const moved = await mapLimit(excluded, REQUEST_CONCURRENCY, (item) =>
    ctx.store.reassignItem(item, batchId, target),
  );
  return {
    placed: items.length - excluded.length,
    retry: excluded.map((item, index) => ({ item, batchId: moved[index] })),
  };
}

async function placeGroup(
  batchId: string,
  items: readonly BufferItem[],
  ctx: BatcherContext,
  source: OpenBatchSource,
): Promise<GroupOutcome> {
  const header = await ctx.store.getBatch(batchId);
  if (header?.state === 'OPEN') return addToOpenBatch(header, items, ctx);
  // No header: either the current batch whose publisher has not created it yet (current()
  // creates it), or a submitted batch whose header expired.
  if (!header && (await source.current()) === batchId) {
    return { placed: 0, retry: stay(items, batchId) };
  }
  return settleWithClosedBatch(batchId, header, items, ctx, source);
}

/**
 * Puts every item into exactly one batch and returns once each is durably there. Safe to
 * repeat with the same items at any time (redelivery, duplicate notifications, a crashed
 * earlier attempt, concurrent invocations): each object version's claim names one batch, and
 * an item only counts as placed once that batch's member list includes it.
 */
export async function placeItems(
  items: readonly BufferItem[],
  ctx: BatcherContext,
  source: OpenBatchSource,
): Promise<PlacementResult> {
  const unique = uniqueItems(items);
  if (unique.length === 0) return { placed: 0, duplicates: 0 };
  const target = await source.current();
  const claims = await mapLimit(unique, REQUEST_CONCURRENCY, (item) =>
    ctx.store.claimItem(item, target, ctx.now()),
  );
  let pending: Pending[] = unique.map((item, index) => ({ item, batchId: claims[index].batchId }));
  let placed = 0;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_ROUNDS) {
      throw new PlacementError(
        `${pending.length} of ${unique.length} item(s) not placed after ${MAX_ROUNDS} rounds of contention`,
      );
    }
    if (round > 0) await sleep(backoffMs(round, 20, 1_000));
    const next: Pending[] = [];
    for (const [batchId, group] of groupByBatch(pending)) {
      const outcome = await placeGroup(batchId, group, ctx, source);
      placed += outcome.placed;
      next.push(...outcome.retry);
    }
    pending = next;
  }
  return { placed, duplicates: claims.filter((claim) => !claim.claimed).length };
}
