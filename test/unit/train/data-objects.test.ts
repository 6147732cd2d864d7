import { classifyObject } from '../../../container/src/train/data-objects';

const prefix = 'training/digits/';

describe('classifyObject', () => {
  it('labels an image by the folder directly below the prefix', () => {
    // given an image two folders deep / when classified
    const result = classifyObject(prefix, { key: `${prefix}7/batch-1/a.png`, size: 10 });

    // then its label is the first folder
    expect(result).toEqual({
      object: { kind: 'image', key: `${prefix}7/batch-1/a.png`, size: 10, label: '7' },
    });
  });

  it('reports an image outside any label folder as missing its label', () => {
    // given an image directly under the prefix / when classified
    const result = classifyObject(prefix, { key: `${prefix}a.jpg`, size: 10 });

    // then it is a missing-label issue naming the key
    expect(result).toEqual({
      issue: 'missing-label',
      message: expect.stringContaining(`${prefix}a.jpg`) as unknown as string,
    });
  });

  it('accepts JSONL and CSV files anywhere below the prefix', () => {
    // given one of each / when classified / then both are record files
    expect(classifyObject(prefix, { key: `${prefix}r.jsonl`, size: 1 })).toMatchObject({
      object: { kind: 'jsonl' },
    });
    expect(classifyObject(prefix, { key: `${prefix}2026/r.CSV`, size: 1 })).toMatchObject({
      object: { kind: 'csv' },
    });
  });

  it('reports other files as unsupported', () => {
    // given a text file / when classified / then it is an unsupported-file issue
    expect(classifyObject(prefix, { key: `${prefix}3/notes.txt`, size: 1 })).toMatchObject({
      issue: 'unsupported-file',
    });
  });
});
