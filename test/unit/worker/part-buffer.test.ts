import { PartBuffer } from '../../../container/src/infer/output/part-buffer';
import { errorRecord, resultRecord } from '../../../container/src/infer/output/record-builders';

const context = { batchId: 'b', shard: 0, model: { name: 'm', version: 'v1' } };
const item = (n: number) => ({ bucket: 'in', key: `k${n}`, size: 1, etag: `e${n}` });
const lines = (jsonl: string) =>
  jsonl
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const record = JSON.parse(line) as { source: { key: string; offset: number } };
      return `${record.source.key}@${record.source.offset}`;
    });

describe('PartBuffer', () => {
  it('cuts a part at an item boundary, sorted by item and offset', () => {
    // given records of items 0..2 added out of order
    const buffer = new PartBuffer(0);
    buffer.addError(1, errorRecord(context, { item: item(1), offset: 0 }, 'DECODE_FAILED', 'x'));
    buffer.addResult(0, resultRecord(context, { item: item(0), offset: 3 }, []));
    buffer.addResult(0, resultRecord(context, { item: item(0), offset: 1 }, []));
    buffer.addResult(2, resultRecord(context, { item: item(2), offset: 0 }, []));
    buffer.addError(0, errorRecord(context, { item: item(0), offset: 2 }, 'BAD_ROW', 'y'));
    // when the part for items [0, 2) is taken
    const part = buffer.take(2);
    // then it holds items 0 and 1 only, in order, with their counts
    expect(lines(part.results)).toEqual(['k0@1', 'k0@3']);
    expect(lines(part.errors)).toEqual(['k0@2', 'k1@0']);
    expect(part.meta).toEqual({
      firstItem: 0,
      endItem: 2,
      counts: { ok: 2, failed: 2, skipped: 0 },
      errorsByCode: { BAD_ROW: 1, DECODE_FAILED: 1 },
    });
  });

  it('sorts the records of an archive by member position, then offset, its own record first', () => {
    // given records of two members of one archive, and one about the archive itself
    const buffer = new PartBuffer(0);
    const member = (index: number) => ({ index, name: `m${index}` });
    buffer.addError(
      0,
      errorRecord(context, { item: item(0), offset: 0, member: member(10) }, 'BAD_ROW', 'x'),
    );
    buffer.addError(0, errorRecord(context, { item: item(0), offset: 0 }, 'TOO_LARGE', 'x'));
    buffer.addError(
      0,
      errorRecord(context, { item: item(0), offset: 1, member: member(2) }, 'BAD_ROW', 'x'),
    );
    buffer.addError(
      0,
      errorRecord(context, { item: item(0), offset: 0, member: member(2) }, 'BAD_ROW', 'x'),
    );
    // when taken
    const part = buffer.take(1);
    // then member 2 comes before member 10 (not as names sort), each by offset
    const order = part.errors
      .trim()
      .split('\n')
      .map((line) => {
        const { source } = JSON.parse(line) as { source: { member?: string; offset: number } };
        return `${source.member ?? '-'}@${source.offset}`;
      });
    expect(order).toEqual(['-@0', 'm2@0', 'm2@1', 'm10@0']);
  });

  it('starts the next part where the previous ended and keeps what was not taken', () => {
    // given a record of item 2 left after taking [0, 2)
    const buffer = new PartBuffer(0);
    buffer.addResult(2, resultRecord(context, { item: item(2), offset: 0 }, []));
    buffer.addSkipped(2, 4);
    buffer.take(2);
    // when the rest is taken
    const part = buffer.take(3);
    // then
    expect(part.meta).toMatchObject({
      firstItem: 2,
      endItem: 3,
      counts: { ok: 1, failed: 0, skipped: 4 },
    });
  });

  it('counts the records a cut would checkpoint', () => {
    // given records of items 4 and 5
    const buffer = new PartBuffer(4);
    buffer.addResult(4, resultRecord(context, { item: item(4), offset: 0 }, []));
    buffer.addError(5, errorRecord(context, { item: item(5), offset: 0 }, 'EMPTY_OBJECT', 'z'));
    // when / then
    expect(buffer.recordsBefore(5)).toBe(1);
    expect(buffer.recordsBefore(6)).toBe(2);
  });
});
