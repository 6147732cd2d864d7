import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Location, unquoteEtag } from '../../lib/contracts/s3-location';
import type { BatcherContext } from './batcher-context';
import type { BufferItem } from './buffer-item';
import { closeBatch } from './close-batch';
import { finishBatch, FinishOutcome } from './finish-batch';
import { dedicatedOpenBatch } from './open-batch-source';
import { filterReason } from './parse-s3-event';
import { placeItems } from './place-items';
import { AccessCall, listPrefix } from '../../lib/contracts/access';

export interface BackfillResult {
  readonly listed: number;
  readonly skipped: number;
  /** Listed objects already in a batch (uploaded after the stack existed, or a repeated backfill). */
  readonly duplicates: number;
  readonly batches: readonly { readonly batchId: string; readonly outcome: FinishOutcome }[];
}

async function backfill(
  location: S3Location,
  s3: S3Client,
  ctx: BatcherContext,
): Promise<BackfillResult> {
  const filter = { prefix: ctx.config.inputPrefix, suffixes: ctx.config.inputSuffixes };
  const source = dedicatedOpenBatch(ctx);
  let listed = 0;
  let skipped = 0;
  let duplicates = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: location.bucket,
        Prefix: location.key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    const items: BufferItem[] = [];
    // Delete markers come in page.DeleteMarkers, so a deleted key has no current version here.
    for (const object of (page.Versions ?? []).filter((v) => v.IsLatest)) {
      listed += 1;
      if (!object.Key || filterReason(object.Key, filter)) {
        skipped += 1;
        continue;
      }
      items.push({
        bucket: location.bucket,
        key: object.Key,
        size: object.Size ?? 0,
        etag: unquoteEtag(object.ETag ?? ''),
        ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}),
      });
    }
    duplicates += (await placeItems(items, ctx, source)).duplicates;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);

  const batches: { batchId: string; outcome: FinishOutcome }[] = [];
  for (const batchId of source.opened) {
    await closeBatch(batchId, 'backfill', ctx);
    const header = await ctx.store.getBatch(batchId);
    if (header && header.state !== 'SUBMITTED') {
      batches.push({ batchId, outcome: await finishBatch(header, ctx) });
    }
  }
  ctx.log.info('backfill done', { location, listed, skipped, duplicates, batches });
  return { listed, skipped, duplicates, batches };
}

/**
 * Batches the objects already under `prefix` (uploaded before the stack existed) through the
 * same claim, manifest and submission path as live uploads, in batches of its own that close
 * at the same thresholds and once the listing ends. Objects already claimed are skipped, so a
 * repeated or overlapping backfill submits nothing twice. The listing is of versions, not keys:
 * a live upload to a versioned bucket is claimed by its version id, so the backfill must name
 * the current version the same way or it would batch that upload a second time. An
 * unversioned bucket lists each object once with the version id "null", which S3's
 * notifications omit, so such objects are identified by their ETag, as live uploads are.
 * Its metrics are published when it ends, like an invocation's.
 */
export async function backfillPrefix(
  location: S3Location,
  s3: S3Client,
  ctx: BatcherContext,
): Promise<BackfillResult> {
  try {
    return await backfill(location, s3, ctx);
  } finally {
    ctx.metrics.publishStoredMetrics();
  }
}

/** The AWS calls of this module (lib/contracts/access.ts): `gbi submit --prefix` only. */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['operator'],
    sdk: 'ListObjectVersionsCommand',
    action: 's3:ListBucketVersions',
    resources: [{ s3: 'input' }],
    context: listPrefix('2024-05-01/'),
    why: 'lists every version under the prefix an operator backfills',
  },
];
