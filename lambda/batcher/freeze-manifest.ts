import type { BatchManifest } from '../../lib/contracts/manifest';
import type { BatcherContext } from './batcher-context';
import type { BatchHeader } from './buffer-store';
import { buildManifest } from './build-manifest';

/**
 * The final member list of a batch that no longer accepts items. A SUBMITTED batch has its
 * manifest in S3. A CLOSED or SUBMITTING one gets one built from its members and created
 * conditionally, so that whichever writer wins, everybody afterwards reads the same list (an
 * existing manifest wins the create and is read back). Without a header (it expired after
 * submission) only an existing manifest counts.
 */
export async function freezeManifest(
  batchId: string,
  header: BatchHeader | undefined,
  ctx: BatcherContext,
): Promise<BatchManifest | undefined> {
  if (!header) return ctx.manifests.find(batchId);
  if (header.state === 'OPEN') {
    throw new Error(`batch ${batchId}: still OPEN, its members are not final`);
  }
  if (header.state === 'SUBMITTED') return ctx.manifests.read(batchId);
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
