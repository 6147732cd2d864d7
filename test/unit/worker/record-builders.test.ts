import { MAX_REASON_BYTES } from '../../../lib/contracts/records';
import { errorRecord } from '../../../container/src/infer/output/record-builders';

const context = { batchId: 'b1', shard: 0, model: { name: 'digits', version: '1' } };
const item = { bucket: 'input', key: 'incoming/a.jsonl', size: 10, etag: 'e' };
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('errorRecord', () => {
  it('keeps a reason within the bound as it is', () => {
    // given / when
    const record = errorRecord(context, { item, offset: 3 }, 'BAD_ROW', 'line 3: invalid JSON');
    // then
    expect(record.reason).toBe('line 3: invalid JSON');
  });

  it.each([
    ['ASCII', 'x'],
    ['multi-byte UTF-8', 'ü東'],
    ['astral (surrogate pairs)', '😀'],
  ])(
    'cuts a %s reason longer than 1 KB to at most 1 KB, keeping its start and saying how much was cut',
    (_, unit) => {
      // given a reason naming the problem, then 20 MB of input
      const reason = `row 7, column 'b': '${unit.repeat(10 * 1024 ** 2)}' is not a decimal number`;
      // when it becomes an error record
      const record = errorRecord(context, { item, offset: 7 }, 'BAD_ROW', reason);
      // then it is at most 1 KB of UTF-8, starts as the reason did and ends with what was cut
      expect(MAX_REASON_BYTES).toBe(1024);
      expect(bytes(record.reason)).toBeLessThanOrEqual(MAX_REASON_BYTES);
      expect(bytes(record.reason)).toBeGreaterThan(MAX_REASON_BYTES / 2);
      expect(record.reason.startsWith(`row 7, column 'b': '${unit}`)).toBe(true);
      expect(record.reason).toMatch(/… \(\d+ more bytes\)$/);
      expect(record.reason).not.toContain('\ufffd');
    },
  );
});
