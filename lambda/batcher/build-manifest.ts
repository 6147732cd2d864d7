import {
  BatchManifest,
  MANIFEST_SCHEMA_VERSION,
  ModelReference,
  objectVersionId,
  shardCountFor,
} from '../../lib/contracts/manifest';
import type { BufferItem } from './buffer-item';

export interface ManifestInput {
  readonly batchId: string;
  readonly createdAt: string;
  readonly model: ModelReference;
  readonly shardSize: number;
  readonly items: readonly BufferItem[];
}

/**
 * The manifest of a closed batch. Items are sorted by object identity so that any writer
 * building the manifest from the same members produces the same document.
 */
export function buildManifest(input: ManifestInput): BatchManifest {
  const items = [...input.items]
    .map((item) => ({ id: objectVersionId(item), item }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ item }) => ({
      bucket: item.bucket,
      key: item.key,
      size: item.size,
      etag: item.etag,
      ...(item.versionId ? { versionId: item.versionId } : {}),
    }));
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    batchId: input.batchId,
    createdAt: input.createdAt,
    model: input.model,
    shardSize: input.shardSize,
    shardCount: shardCountFor(items.length, input.shardSize),
    items,
  };
}
