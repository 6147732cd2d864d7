import type { ManifestItem } from '../../../../lib/contracts/manifest';

/** Bytes one model input holds once decoded: float32 values of the record's shape. */
export const recordBytes = (shape: readonly number[]) => 4 * shape.reduce((a, b) => a * b, 1);

/**
 * What one object weighs in the read-ahead window (--prefetch-bytes): its manifest size while
 * it downloads, plus the record it decodes into, which the window then holds until the model
 * takes it. An image's record is usually the larger: a 50 KB JPEG for a 224x224x3 model becomes
 * 602 KB of float32, so counting manifest sizes alone let a 256 MiB budget hold 12 times that
 * in decoded records. An archive's further records are bounded by --archive-prefetch.
 */
export const windowBytes = (item: ManifestItem, shape: readonly number[]) =>
  item.size + recordBytes(shape);
