import type { BatchManifest } from '../../lib/contracts/manifest';
import type { BatcherContext } from './batcher-context';
import type { BatchHeader } from './buffer-store';
import { buildManifest } from './build-manifest';

/**
 * The final member list of a batch that no longer accepts items: the manifest in S3 if one was
 * written, else one built from the members now and created conditionally, so that whichever
 * writer wins, everybody afterwards reads the same list. Without a header (it expired after
 * submission) only an existing manifest counts.
 */
export async function freezeManifest(
  batchId: string,
  header: BatchHeader | undefined,
  ctx: BatcherContext,
): Promise<BatchManifest | undefined> {
  const existing = await ctx.manifests.read(batchId);
  if (existing || !header) return existing;
  if (header.state === 'OPEN') {
    throw new Error(`batch ${batchId}: still OPEN, its members are not final`);
  }
  const items = await ctx.store.listMembers(batchId);
  return ctx.manifests.createOnce(
    buildManifest({
      batchId,
      createdAt: new Date(header.closedAt ?? header.createdAt).toISOString(),
      model: ctx.config.model,
      shardSize: ctx.config.shardSize,
      items,
    }),
  );
}
