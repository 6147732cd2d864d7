import { createHash } from 'node:crypto';
import { recordId } from '../../../lib/contracts/manifest';
import { MAX_REASON_BYTES } from '../../../lib/contracts/records';
import { errorRecord, resultRecord } from '../../../container/src/infer/output/record-builders';

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

describe('records of archive members', () => {
  const archive = { bucket: 'in', key: 'a.tar', size: 1, etag: 'e1' };

  it('names the member in the source and hashes key, member position, name and offset', () => {
    // given a record at offset 2 of member #3 'x/y.jsonl'
    const member = { index: 3, name: 'x/y.jsonl' };
    // when built
    const record = resultRecord(context, { item: archive, offset: 2, member }, []);
    // then
    expect(record.source).toEqual({
      bucket: 'in',
      key: 'a.tar',
      etag: 'e1',
      offset: 2,
      member: 'x/y.jsonl',
      memberIndex: 3,
    });
    const preimage = 'in/a.tar#e1!3:x/y.jsonl@2';
    expect(record.recordId).toBe(createHash('sha256').update(preimage).digest('hex').slice(0, 24));
  });

  it('gives two entries of the same name different ids, and the archive itself a third', () => {
    // given records of members #0 and #1 both named 'a.png', and one without a member
    const ids = [
      recordId(archive, 0, { index: 0, name: 'a.png' }),
      recordId(archive, 0, { index: 1, name: 'a.png' }),
      recordId(archive, 0),
    ];
    // when / then
    expect(new Set(ids).size).toBe(3);
  });
});
