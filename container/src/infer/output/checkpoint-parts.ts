import type { ErrorCode } from '../../../../lib/contracts/records';

/**
 * A checkpoint part: the complete outputs of the contiguous item range [firstItem, endItem) of
 * one shard. Its results and errors are separate objects; the part's metadata object is written
 * after both, so a visible metadata object means a complete part.
 */
export interface PartMeta {
  readonly firstItem: number;
  readonly endItem: number;
  readonly counts: { readonly ok: number; readonly failed: number; readonly skipped: number };
  readonly errorsByCode: Readonly<Partial<Record<ErrorCode, number>>>;
}

export type PartRange = Pick<PartMeta, 'firstItem' | 'endItem'>;

const pad = (n: number) => String(n).padStart(9, '0');

export const partKeys = {
  meta: (prefix: string, range: PartRange) =>
    `${prefix}part-${pad(range.firstItem)}-${pad(range.endItem)}.json`,
  results: (prefix: string, range: PartRange) =>
    `${prefix}part-${pad(range.firstItem)}-${pad(range.endItem)}.results.jsonl`,
  errors: (prefix: string, range: PartRange) =>
    `${prefix}part-${pad(range.firstItem)}-${pad(range.endItem)}.errors.jsonl`,
};

/** The range a part metadata key stands for; undefined for the part's data objects and others. */
export function parsePartMetaKey(key: string): PartRange | undefined {
  const match = /part-(\d{9})-(\d{9})\.json$/.exec(key);
  if (!match) return undefined;
  return { firstItem: Number(match[1]), endItem: Number(match[2]) };
}

/**
 * The parts that cover the shard's items from 0 without gap or overlap, in order. Parts outside
 * that chain (left by an attempt that checkpointed at other boundaries) are ignored, so a resumed
 * shard never scores an item twice and its final output never holds a record twice.
 */
export function contiguousParts<P extends PartRange>(parts: readonly P[], itemCount: number): P[] {
  const chain: P[] = [];
  let position = 0;
  while (position < itemCount) {
    const next = parts
      .filter((part) => part.firstItem === position && part.endItem > position)
      .sort((a, b) => b.endItem - a.endItem)[0];
    if (!next) break;
    chain.push(next);
    position = Math.min(next.endItem, itemCount);
  }
  return chain;
}

/** First item no complete part covers: where a resumed shard starts. */
export function resumePoint(chain: readonly PartRange[]): number {
  return chain.length === 0 ? 0 : chain[chain.length - 1].endItem;
}
