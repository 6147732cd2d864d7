/**
 * The throughput-versus-latency policy, pure: when a batch closes and how many new items still
 * fit. A batch closes at max files, at max bytes, or when its oldest item has waited max wait.
 */
export interface BatchThresholds {
  readonly maxFiles: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
}

export interface BatchCounters {
  readonly files: number;
  readonly bytes: number;
  /** Epoch ms at which the first item entered the batch; absent while it is empty. */
  readonly oldestItemAt?: number;
}

export type CloseReason = 'max-files' | 'max-bytes' | 'max-wait';

/** Why the batch should close now, or undefined while it should keep accumulating. */
export function closeReason(
  batch: BatchCounters,
  now: number,
  thresholds: BatchThresholds,
): CloseReason | undefined {
  if (batch.files >= thresholds.maxFiles) return 'max-files';
  if (batch.bytes >= thresholds.maxBytes) return 'max-bytes';
  if (batch.files > 0 && batch.oldestItemAt !== undefined) {
    if (now - batch.oldestItemAt >= thresholds.maxWaitMs) return 'max-wait';
  }
  return undefined;
}

/**
 * How many of `sizes` (in order) fit into the batch. An empty batch always takes one item, so
 * an object larger than max bytes still gets a batch of its own instead of waiting forever.
 */
export function countFitting(
  sizes: readonly number[],
  batch: BatchCounters,
  thresholds: BatchThresholds,
): number {
  let files = batch.files;
  let bytes = batch.bytes;
  let taken = 0;
  for (const size of sizes) {
    const fits =
      files === 0 || (files + 1 <= thresholds.maxFiles && bytes + size <= thresholds.maxBytes);
    if (!fits) break;
    files += 1;
    bytes += size;
    taken += 1;
  }
  return taken;
}

/** The reason a batch that cannot take `nextSize` more bytes is full. */
export function fullReason(
  batch: BatchCounters,
  nextSize: number,
  thresholds: BatchThresholds,
): CloseReason {
  return batch.bytes + nextSize > thresholds.maxBytes ? 'max-bytes' : 'max-files';
}
