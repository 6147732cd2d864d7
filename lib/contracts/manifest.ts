import { createHash } from 'node:crypto';

/**
 * The batch manifest: written once per batch (S3 conditional create) by the batcher, read by
 * every shard of the worker. Version the schema when a field changes meaning.
 */
export const MANIFEST_SCHEMA_VERSION = 1;

/** One input object, pinned to the exact version that was uploaded. */
export interface ManifestItem {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  /** Present when the input bucket is versioned. */
  readonly versionId?: string;
}

export interface ModelReference {
  /** Registry name of the model, e.g. `digits`. */
  readonly name: string;
  /** A pinned registry version; absent means the champion at job start. */
  readonly version?: string;
}

export interface BatchManifest {
  readonly schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  readonly batchId: string;
  readonly createdAt: string;
  readonly model: ModelReference;
  readonly shardSize: number;
  readonly shardCount: number;
  readonly items: readonly ManifestItem[];
}

export function shardCountFor(itemCount: number, shardSize: number): number {
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new RangeError(`shardSize must be a positive integer, got ${shardSize}`);
  }
  return Math.max(1, Math.ceil(itemCount / shardSize));
}

/** The items of shard `index` (0-based), in manifest order. */
export function shardItems(manifest: BatchManifest, index: number): readonly ManifestItem[] {
  if (!Number.isInteger(index) || index < 0 || index >= manifest.shardCount) {
    throw new RangeError(
      `shard index ${index} is outside 0..${manifest.shardCount - 1} for batch ${manifest.batchId}`,
    );
  }
  return manifest.items.slice(index * manifest.shardSize, (index + 1) * manifest.shardSize);
}

/** Identity of an object version; equal for duplicate notifications of the same upload. */
export function objectVersionId(
  item: Pick<ManifestItem, 'bucket' | 'key' | 'etag' | 'versionId'>,
): string {
  return `${item.bucket}/${item.key}#${item.versionId ?? item.etag}`;
}

/** A member of a tar archive: its entry's 0-based position and the name its header gives. */
export interface MemberRef {
  readonly index: number;
  readonly name: string;
}

/**
 * A stable record id: the same source object version, archive member and offset always give
 * the same id, so a retried shard overwrites its results instead of adding new ones. The
 * member's position is part of it because a tar may hold two entries of the same name.
 */
export function recordId(
  item: Pick<ManifestItem, 'bucket' | 'key' | 'etag' | 'versionId'>,
  offset: number,
  member?: MemberRef,
): string {
  const inside = member === undefined ? '' : `!${member.index}:${member.name}`;
  return createHash('sha256')
    .update(`${objectVersionId(item)}${inside}@${offset}`)
    .digest('hex')
    .slice(0, 24);
}

/**
 * Checks a parsed manifest, naming every bad field, so a worker fails fast with a readable
 * message instead of deep in the pipeline.
 */
export function validateManifest(value: unknown): BatchManifest {
  const errors: string[] = [];
  const m = value as Partial<BatchManifest> | null;
  if (typeof m !== 'object' || m === null) {
    throw new Error('manifest: expected a JSON object');
  }
  if (m.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    errors.push(
      `schemaVersion: expected ${MANIFEST_SCHEMA_VERSION}, got ${String(m.schemaVersion)}`,
    );
  }
  if (typeof m.batchId !== 'string' || m.batchId.length === 0)
    errors.push('batchId: expected a non-empty string');
  if (typeof m.model?.name !== 'string' || m.model.name.length === 0)
    errors.push('model.name: expected a non-empty string');
  if (!Number.isInteger(m.shardSize) || (m.shardSize ?? 0) < 1)
    errors.push('shardSize: expected a positive integer');
  if (!Array.isArray(m.items)) {
    errors.push('items: expected an array');
  } else {
    m.items.forEach((item, i) => {
      if (typeof item?.bucket !== 'string' || typeof item?.key !== 'string') {
        errors.push(`items[${i}]: expected bucket and key strings`);
      }
      if (typeof item?.size !== 'number' || typeof item?.etag !== 'string') {
        errors.push(`items[${i}]: expected a numeric size and an etag string`);
      }
    });
    if (
      Number.isInteger(m.shardSize) &&
      m.shardCount !== shardCountFor(m.items.length, m.shardSize!)
    ) {
      errors.push(
        `shardCount: expected ${shardCountFor(m.items.length, m.shardSize!)} for ${m.items.length} items`,
      );
    }
  }
  if (errors.length > 0) {
    throw new Error(`invalid manifest: ${errors.join('; ')}`);
  }
  return m as BatchManifest;
}
