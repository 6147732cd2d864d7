import { LabelError, UnreadableSampleError } from '../../../container/src/train/errors';
import {
  csvLayout,
  parseCsvRecord,
  parseJsonlRecord,
  splitCsvLine,
} from '../../../container/src/train/tabular-parsing';

const unnamed = { kind: 'features', size: 2 } as const;
const named = { kind: 'features', size: 2, names: ['height', 'width'] } as const;

describe('parseJsonlRecord', () => {
  it('reads a features array and the label field', () => {
    // given a line with features and label / when parsed
    const record = parseJsonlRecord('{"features":[1,2.5],"label":"cat"}', 'f#1', unnamed, 'label');

    // then both are returned
    expect([Array.from(record.features), record.label]).toEqual([[1, 2.5], 'cat']);
  });

  it('reads named features in the order of the input spec', () => {
    // given named fields in another order / when parsed
    const record = parseJsonlRecord('{"width":3,"height":4,"label":1}', 'f#1', named, 'label');

    // then the spec's order is used and the label is text
    expect([Array.from(record.features), record.label]).toEqual([[4, 3], '1']);
  });

  it('rejects a line without the label field as a missing label', () => {
    // given no label / when parsed / then a LabelError of kind missing-label names the line
    expect(() => parseJsonlRecord('{"features":[1,2]}', 'f#9', unnamed, 'label')).toThrow(
      new LabelError("f#9: missing label 'label'", 'missing-label'),
    );
  });

  it('rejects a non-numeric feature naming it', () => {
    // given a string feature / when parsed / then the feature is named
    expect(() =>
      parseJsonlRecord('{"height":"x","width":1,"label":"a"}', 'f#2', named, 'label'),
    ).toThrow(new UnreadableSampleError('f#2: feature \'height\' is "x", not a number'));
  });

  it('rejects invalid JSON as unreadable', () => {
    // given a broken line / when parsed / then it is unreadable
    expect(() => parseJsonlRecord('{"features":', 'f#3', unnamed, 'label')).toThrow(
      UnreadableSampleError,
    );
  });
});

describe('CSV records', () => {
  it('takes every non-label column as a feature when the spec names none', () => {
    // given a header with the label in the middle
    const layout = csvLayout('a,label,b', 'f.csv', unnamed, 'label');

    // when a row is parsed
    const record = parseCsvRecord('1,dog,2', 'f.csv#2', layout, unnamed, 'label');

    // then the features are the other columns in order
    expect([Array.from(record.features), record.label]).toEqual([[1, 2], 'dog']);
  });

  it('rejects a header without the label column as a missing label', () => {
    // given no label column / when the layout is read / then the column is named
    expect(() => csvLayout('a,b', 'f.csv', unnamed, 'label')).toThrow(
      new LabelError("f.csv: header has no 'label' column", 'missing-label'),
    );
  });

  it('rejects a row with an empty feature cell', () => {
    // given an empty cell / when parsed / then it is unreadable, naming the column
    const layout = csvLayout('a,b,label', 'f.csv', unnamed, 'label');
    expect(() => parseCsvRecord(',2,x', 'f.csv#3', layout, unnamed, 'label')).toThrow(
      "f.csv#3: feature 'a' is missing",
    );
  });

  it('splits quoted cells with commas and escaped quotes', () => {
    // given a quoted cell / when split / then quotes are removed and commas kept
    expect(splitCsvLine('1,"a, ""b""",2\r')).toEqual(['1', 'a, "b"', '2']);
  });
});

describe('hostile training features', () => {
  it('rejects a hexadecimal CSV cell, which is not a decimal number', () => {
    // given 0x10 in column a / when parsed / then the cell is named as not decimal
    const layout = csvLayout('a,b,label', 'f.csv', unnamed, 'label');
    expect(() => parseCsvRecord('0x10,2,x', 'f.csv#3', layout, unnamed, 'label')).toThrow(
      new UnreadableSampleError("f.csv#3: feature 'a': '0x10' is not a decimal number"),
    );
  });

  it('rejects an overflowing JSONL feature naming the overflow', () => {
    // given 1e999 / when parsed / then the error says it overflows
    expect(() =>
      parseJsonlRecord('{"height":1e999,"width":1,"label":"a"}', 'f#2', named, 'label'),
    ).toThrow(
      new UnreadableSampleError(
        "f#2: feature 'height' is a number too large for a 64-bit float (it overflows to Infinity)",
      ),
    );
  });
});
