import { objectRecords } from '../../../container/src/infer/input/object-records';
import { DIGITS_INPUT } from '../../helpers/worker-model-fixture';
import { mnistDigit, pngOf } from '../../helpers/worker-image-fixtures';

const limits = { maxPixels: 1_000_000 };
const features = { kind: 'features' as const, size: 2 };

describe('objectRecords', () => {
  it('turns one PNG into one sample at offset 0 with the model input size', () => {
    // given a digit PNG and the digits model input
    const bytes = pngOf(mnistDigit(0, 0), 28, 28);
    // when read
    const records = objectRecords('a.png', bytes, DIGITS_INPUT, limits);
    // then
    expect(records.samples.map((s) => [s.offset, s.input.length])).toEqual([[0, 784]]);
    expect(records.failures).toEqual([]);
  });

  it('fails an empty object as EMPTY_OBJECT', () => {
    // given zero bytes
    // when read
    const records = objectRecords('a.png', new Uint8Array(0), DIGITS_INPUT, limits);
    // then
    expect(records.failures).toEqual([
      { offset: 0, code: 'EMPTY_OBJECT', reason: 'object is empty (0 bytes)' },
    ]);
  });

  it('fails records given to an image model as UNSUPPORTED_FORMAT', () => {
    // given a CSV for the digits model
    // when read
    const records = objectRecords('a.csv', Buffer.from('1,2\n'), DIGITS_INPUT, limits);
    // then
    expect(records.failures[0]).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(records.failures[0].reason).toMatch(/takes images, this object is CSV/);
  });

  it('fails an image given to a features model as UNSUPPORTED_FORMAT', () => {
    // given a PNG for a features model
    const bytes = pngOf(mnistDigit(0, 0), 28, 28);
    // when read
    const records = objectRecords('a.png', bytes, features, limits);
    // then
    expect(records.failures[0].code).toBe('UNSUPPORTED_FORMAT');
  });

  it('fails a JSON records file that is not UTF-8 as DECODE_FAILED', () => {
    // given invalid UTF-8 bytes named .json
    // when read
    const records = objectRecords('a.json', Uint8Array.from([0xc3, 0x28]), features, limits);
    // then
    expect(records.failures).toEqual([
      { offset: 0, code: 'DECODE_FAILED', reason: 'records file is not valid UTF-8 text' },
    ]);
  });

  it('fails only the JSONL line that is not UTF-8', () => {
    // given a good line, then invalid UTF-8 bytes
    const bytes = Buffer.concat([Buffer.from('[1,2]\n'), Uint8Array.from([0xc3, 0x28])]);
    // when read
    const records = objectRecords('a.jsonl', bytes, features, limits);
    // then
    expect(records.samples.map((s) => s.offset)).toEqual([0]);
    expect(records.failures).toEqual([
      { offset: 1, code: 'DECODE_FAILED', reason: 'line 1 (byte 6): not valid UTF-8' },
    ]);
  });

  it('keeps the good rows of a CSV and fails the bad ones', () => {
    // given a CSV with one bad row
    // when read
    const records = objectRecords('a.csv', Buffer.from('1,2\nx,2\n3,4\n'), features, limits);
    // then
    expect(records.samples.map((s) => s.offset)).toEqual([0, 2]);
    expect(records.failures.map((f) => [f.offset, f.code])).toEqual([[1, 'BAD_ROW']]);
  });
});
