import type { RecordsFormat } from '../../../container/src/infer/input/detect-format';
import {
  FeaturesSpec,
  maxLineValues,
  parseRecords,
} from '../../../container/src/infer/input/parse-records';

const spec = { kind: 'features' as const, size: 3, names: ['a', 'b', 'c'] };
const unnamed = { kind: 'features' as const, size: 3 };
/** Parses `text` as the UTF-8 bytes of an object. */
const parseText = (...[format, text, features]: [RecordsFormat, string, FeaturesSpec]) =>
  parseRecords(format, Buffer.from(text), features);
const values = (parsed: ReturnType<typeof parseRecords>) =>
  parsed.records.map((record) => [record.offset, Array.from(record.values)]);

describe('parseRecords: JSON', () => {
  it('reads a flat array of numbers as one record at offset 0', () => {
    // given / when
    const parsed = parseText('json', '[1, 2, 3]', unnamed);
    // then
    expect(values(parsed)).toEqual([[0, [1, 2, 3]]]);
  });

  it('reads an array of records with the array index as offset, objects by feature name', () => {
    // given a list mixing an array record and an object record
    const text = JSON.stringify([[1, 2, 3], { c: 6, b: 5, a: 4 }]);
    // when
    const parsed = parseText('json', text, spec);
    // then
    expect(values(parsed)).toEqual([
      [0, [1, 2, 3]],
      [1, [4, 5, 6]],
    ]);
  });

  it('fails a record of the wrong length as BAD_SHAPE and keeps the others', () => {
    // given a list whose second record has two features
    const parsed = parseText('json', '[[1,2,3],[1,2],[7,8,9]]', unnamed);
    // then
    expect(values(parsed).map(([offset]) => offset)).toEqual([0, 2]);
    expect(parsed.failures).toEqual([
      { offset: 1, code: 'BAD_SHAPE', reason: 'expected 3 features, got 2' },
    ]);
  });

  it('names the missing features of an object record', () => {
    // given an object without b and c
    const parsed = parseText('json', '{"a": 1}', spec);
    // then
    expect(parsed.failures[0].reason).toBe('missing features: b, c');
  });

  it('fails a non-numeric feature naming its index', () => {
    // given a string among the features
    const parsed = parseText('json', '[1, "x", 3]', unnamed);
    // then
    expect(parsed.failures[0]).toEqual({
      offset: 0,
      code: 'BAD_SHAPE',
      reason: 'feature 1 is "x", not a number',
    });
  });

  it('throws DECODE_FAILED for text that is not JSON', () => {
    // given / when / then
    expect(() => parseText('json', '{oops', unnamed)).toThrow(/invalid JSON/);
  });
});

describe('parseRecords: JSONL', () => {
  it('uses the line number as offset and counts blank lines as skipped', () => {
    // given two records around a blank line, with a final newline
    const parsed = parseText('jsonl', '[1,2,3]\n\n[4,5,6]\n', unnamed);
    // then
    expect(values(parsed)).toEqual([
      [0, [1, 2, 3]],
      [2, [4, 5, 6]],
    ]);
    expect(parsed.skipped).toBe(1);
  });

  it('fails an unparsable line as BAD_ROW with its line number', () => {
    // given a broken second line
    const parsed = parseText('jsonl', '[1,2,3]\n[1,2\n[4,5,6]', unnamed);
    // then
    expect(parsed.records).toHaveLength(2);
    expect(parsed.failures[0]).toMatchObject({ offset: 1, code: 'BAD_ROW' });
    expect(parsed.failures[0].reason).toMatch(/^line 1: invalid JSON/);
  });

  it('fails a line of invalid UTF-8 alone, naming its line and byte offset', () => {
    // given a JSONL object whose second line holds a lone continuation byte
    const bytes = Buffer.concat([
      Buffer.from('[1,2,3]\n'),
      Buffer.from([0x5b, 0x31, 0x80, 0x5d, 0x0a]),
      Buffer.from('[4,5,6]\n'),
    ]);
    // when parsed
    const parsed = parseRecords('jsonl', bytes, unnamed);
    // then the lines beside it are scored and it fails at its line
    expect(values(parsed)).toEqual([
      [0, [1, 2, 3]],
      [2, [4, 5, 6]],
    ]);
    expect(parsed.failures).toEqual([
      { offset: 1, code: 'DECODE_FAILED', reason: 'line 1 (byte 8): not valid UTF-8' },
    ]);
  });
});

describe('parseRecords: CSV', () => {
  it('maps header columns to feature names in any order', () => {
    // given a header with an extra id column and features out of order
    const parsed = parseText('csv', 'id,c,a,b\nx,3,1,2\ny,6,4,5\n', spec);
    // then data rows are offsets 1 and 2 with features in metadata order
    expect(values(parsed)).toEqual([
      [1, [1, 2, 3]],
      [2, [4, 5, 6]],
    ]);
  });

  it('reads a headerless file positionally from offset 0', () => {
    // given numeric rows only, with CRLF line ends
    const parsed = parseText('csv', '1,2,3\r\n4,5,6\r\n', unnamed);
    // then
    expect(values(parsed)).toEqual([
      [0, [1, 2, 3]],
      [1, [4, 5, 6]],
    ]);
  });

  it('fails a row with the wrong number of cells as BAD_ROW naming the row', () => {
    // given a short second data row
    const parsed = parseText('csv', 'a,b,c\n1,2,3\n4,5\n', spec);
    // then
    expect(parsed.failures).toEqual([
      { offset: 2, code: 'BAD_ROW', reason: 'row 2: expected 3 values, got 2' },
    ]);
  });

  it('fails a non-numeric cell as BAD_ROW naming row and column', () => {
    // given a word in column b
    const parsed = parseText('csv', 'a,b,c\n1,two,3\n', spec);
    // then
    expect(parsed.failures[0].reason).toBe("row 1, column 'b': 'two' is not a decimal number");
  });

  it('throws BAD_SHAPE when the header lacks a named feature', () => {
    // given a header without c
    // when / then
    expect(() => parseText('csv', 'a,b\n1,2\n', spec)).toThrow('CSV header lacks features: c');
  });

  it('fails a row of invalid UTF-8 alone, naming its line and byte offset', () => {
    // given a CSV whose second data row (CRLF-ended) holds a truncated two-byte sequence
    const bytes = Buffer.concat([
      Buffer.from('a,b,c\r\n1,2,3\r\n'),
      Buffer.from([0x34, 0x2c, 0xc3, 0x2c, 0x36, 0x0d, 0x0a]),
      Buffer.from('7,8,9'),
    ]);
    // when parsed
    const parsed = parseRecords('csv', bytes, spec);
    // then the rows beside it are scored and it fails at its line
    expect(values(parsed)).toEqual([
      [1, [1, 2, 3]],
      [3, [7, 8, 9]],
    ]);
    expect(parsed.failures).toEqual([
      { offset: 2, code: 'DECODE_FAILED', reason: 'line 2 (byte 14): not valid UTF-8' },
    ]);
  });

  it('fails the whole object when its first row, which may be the header, is not UTF-8', () => {
    // given a CSV whose first line is not UTF-8
    const bytes = Buffer.concat([Buffer.from([0xff, 0x2c, 0x62, 0x0a]), Buffer.from('1,2,3\n')]);
    // when / then
    expect(() => parseRecords('csv', bytes, spec)).toThrow(
      'line 0 (byte 0): not valid UTF-8; it is the first row, which may name the columns, so no row is read',
    );
  });
});

describe('parseRecords: hostile values', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const pair = { kind: 'features' as const, size: 2 };

  it('fails a feature nested 100,000 deep in a JSON list as one error record and keeps the others', () => {
    // given a record whose first feature is an array nested 100,000 deep
    // when it is parsed
    const parsed = parseText('json', `[[${deep}, 1], [1, 2]]`, pair);
    // then that record alone fails, its reason naming the feature and what it is
    expect(values(parsed)).toEqual([[1, [1, 2]]]);
    expect(parsed.failures).toEqual([
      { offset: 0, code: 'BAD_SHAPE', reason: 'feature 0 is an array of 1 element, not a number' },
    ]);
  });

  it('refuses a JSONL line of more values than a record can hold unparsed, and keeps the others', () => {
    // given a line nested 100,000 deep and a line of 50,000 numbers, for a 2-feature model
    const many = `[${Array(50_000).fill(1).join(',')}]`;
    const parsed = parseText('jsonl', `[${deep}, 1]\n${many}\n[1, 2]\n`, pair);
    // then both fail alone, naming the bound, and the good line is scored
    expect(values(parsed)).toEqual([[2, [1, 2]]]);
    const reason = (line: number) =>
      `line ${line}: holds more than ${maxLineValues(pair)} JSON values (16 per feature + 1024), not parsed`;
    expect(parsed.failures).toEqual([
      { offset: 0, code: 'BAD_ROW', reason: reason(0) },
      { offset: 1, code: 'BAD_ROW', reason: reason(1) },
    ]);
  });

  it('counts a CSV row of millions of cells without splitting it', () => {
    // given a 3-feature CSV whose second row has 2,000,000 cells, and a header row that long
    const wide = Array(2_000_000).fill('1').join(',');
    const parsed = parseText('csv', `a,b,c\n1,2,3\n${wide}\n4,5,6\n`, spec);
    // then that row fails alone; a first row that long is refused whole
    expect(values(parsed)).toEqual([
      [1, [1, 2, 3]],
      [3, [4, 5, 6]],
    ]);
    expect(parsed.failures).toEqual([
      { offset: 2, code: 'BAD_ROW', reason: 'row 2: expected 3 values, got more than 3' },
    ]);
    expect(() => parseText('csv', `${wide}\n`, spec)).toThrow(
      `CSV first row (line 0) has more than ${maxLineValues(spec)} columns (16 per feature + 1024), not read`,
    );
  });

  it('names a 20 MB string feature by its start and length, not its whole text', () => {
    // given a record whose feature is a 20 MB string
    const huge = 'x'.repeat(20 * 1024 ** 2);
    // when it is parsed
    const parsed = parseText('json', JSON.stringify({ a: 1, b: huge, c: 3 }), spec);
    // then the reason is short and says which feature and what it holds
    expect(parsed.failures[0].reason).toBe(
      `feature 'b' is a string of 20971520 characters starting "${'x'.repeat(32)}", not a number`,
    );
  });

  it('fails a number that overflows a 64-bit float (1e999) naming the feature and the overflow', () => {
    // given 1e999, which JSON.parse turns into Infinity
    const parsed = parseText('json', '{"a": 1, "b": 1e999, "c": 3}', spec);
    // then the reason says it overflows rather than calling it null
    expect(parsed.failures[0].reason).toBe(
      "feature 'b' is a number too large for a 64-bit float (it overflows to Infinity)",
    );
  });

  it('fails a number beyond the float32 range of the model input', () => {
    // given 1e39, finite as a double but Infinity as the model's float32 input
    const parsed = parseText('jsonl', '[1, -1e39, 3]\n', unnamed);
    // then the reason names the value and the range
    expect(parsed.failures[0].reason).toBe(
      'feature 1 is -1e+39, outside the float32 range of the model input (±3.4028234663852886e+38)',
    );
  });

  it('fails an overflowing CSV cell naming its text', () => {
    // given 1e999 in column b
    const parsed = parseText('csv', 'a,b,c\n1,1e999,3\n', spec);
    // then the reason quotes the cell and says it overflows
    expect(parsed.failures[0].reason).toBe(
      "row 1, column 'b': '1e999' is a number too large for a 64-bit float (it overflows to Infinity)",
    );
  });

  it.each(['0x10', '0b1', '0o7', '-0x10', '1_000', 'Infinity', '.'])(
    'fails the CSV cell %s, which is not a decimal number',
    (cell) => {
      // given a row whose cell in column b is not written in decimal
      const parsed = parseText('csv', `a,b,c\n1,${cell},3\n`, spec);
      // then the row fails naming the cell
      expect(parsed.records).toEqual([]);
      expect(parsed.failures).toEqual([
        {
          offset: 1,
          code: 'BAD_ROW',
          reason: `row 1, column 'b': '${cell}' is not a decimal number`,
        },
      ]);
    },
  );

  it.each(['1', '-2.5', '+3', '.5', '5.', '1e3', '-1.5E-3'])(
    'reads the decimal CSV cell %s',
    (cell) => {
      // given a headerless row with a decimal cell / when parsed / then it is its value
      expect(values(parseText('csv', `1,${cell},3\n`, unnamed))).toEqual([
        [0, [1, Math.fround(Number(cell)), 3]],
      ]);
    },
  );
});
