import type { ErrorCode, ErrorRecord, ResultRecord } from '../../../../lib/contracts/records';
import type { PartMeta } from './checkpoint-parts';

interface Entry {
  readonly itemIndex: number;
  /** -1 outside archives and for a record about a whole archive, which sorts first. */
  readonly memberIndex: number;
  readonly offset: number;
  readonly line: string;
}

/** A part ready to be written: its metadata and its two JSON-lines bodies. */
export interface PartContent {
  readonly meta: PartMeta;
  readonly results: string;
  readonly errors: string;
}

const byPosition = (a: Entry, b: Entry) =>
  a.itemIndex - b.itemIndex || a.memberIndex - b.memberIndex || a.offset - b.offset;

const entryOf = (itemIndex: number, record: ResultRecord | ErrorRecord) => ({
  itemIndex,
  memberIndex: record.source.memberIndex ?? -1,
  offset: record.source.offset,
  line: JSON.stringify(record),
});

const toJsonLines = (entries: readonly Entry[]) =>
  entries.map((entry) => `${entry.line}\n`).join('');

/**
 * Outputs of a shard not yet checkpointed. Records arrive out of order across streams (a decode
 * error of item 9 can come before an inference result of item 8), so a part is cut at an item
 * boundary and sorted by (item, archive member, offset), which makes every output object deterministic.
 */
export class PartBuffer {
  private results: Entry[] = [];
  private errors: (Entry & { readonly code: ErrorCode })[] = [];
  private skipped: { readonly itemIndex: number; readonly count: number }[] = [];

  constructor(private firstItem: number) {}

  addResult(itemIndex: number, record: ResultRecord): void {
    this.results.push(entryOf(itemIndex, record));
  }

  addError(itemIndex: number, record: ErrorRecord): void {
    this.errors.push({ ...entryOf(itemIndex, record), code: record.code });
  }

  addSkipped(itemIndex: number, count: number): void {
    if (count > 0) this.skipped.push({ itemIndex, count });
  }

  /** Records held for items before `endItem`: how much a part cut there would checkpoint. */
  recordsBefore(endItem: number): number {
    const before = (entry: { itemIndex: number }) => entry.itemIndex < endItem;
    return this.results.filter(before).length + this.errors.filter(before).length;
  }

  /** Removes and returns the outputs of items [firstItem, endItem) as one part. */
  take(endItem: number): PartContent {
    const before = (entry: { itemIndex: number }) => entry.itemIndex < endItem;
    const results = this.results.filter(before).sort(byPosition);
    const errors = this.errors.filter(before).sort(byPosition);
    const skipped = this.skipped.filter(before).reduce((sum, entry) => sum + entry.count, 0);
    this.results = this.results.filter((entry) => !before(entry));
    this.errors = this.errors.filter((entry) => !before(entry));
    this.skipped = this.skipped.filter((entry) => !before(entry));
    const errorsByCode: Partial<Record<ErrorCode, number>> = {};
    for (const error of errors) errorsByCode[error.code] = (errorsByCode[error.code] ?? 0) + 1;
    const meta: PartMeta = {
      firstItem: this.firstItem,
      endItem,
      counts: { ok: results.length, failed: errors.length, skipped },
      errorsByCode,
    };
    this.firstItem = endItem;
    return { meta, results: toJsonLines(results), errors: toJsonLines(errors) };
  }
}
