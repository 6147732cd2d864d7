import type { ManifestItem } from '../../lib/contracts/manifest';

/** An uploaded object version waiting in the buffer; exactly the manifest's item shape. */
export type BufferItem = ManifestItem;

/** Why an object is not batched; stable strings, used as the metric dimension. */
export type SkipReason =
  | 'test-event'
  | 'not-object-created'
  | 'foreign-bucket'
  | 'outside-prefix'
  | 'suffix-not-accepted'
  | 'folder-marker';
