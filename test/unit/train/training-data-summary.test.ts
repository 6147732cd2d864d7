import { folderLabels, shuffleCapacity } from '../../../container/src/train/training-data-summary';

describe('folderLabels', () => {
  it('lists image label folders once each, in numeric-aware order', () => {
    // given images in folders 10, 2 and 1 and a records file
    const objects = [
      { kind: 'image', key: 'p/10/a.png', size: 1, label: '10' },
      { kind: 'image', key: 'p/2/a.png', size: 1, label: '2' },
      { kind: 'image', key: 'p/2/b.png', size: 1, label: '2' },
      { kind: 'jsonl', key: 'p/r.jsonl', size: 1 },
      { kind: 'image', key: 'p/1/a.png', size: 1, label: '1' },
    ] as const;

    // when labels are derived / then they are 1, 2, 10
    expect(folderLabels(objects)).toEqual(['1', '2', '10']);
  });
});

describe('shuffleCapacity', () => {
  it('is the configured size when it fits in the memory cap', () => {
    // given 1,000 digit samples (3 KiB each) and 256 MiB / then all 1,000 fit
    expect(shuffleCapacity(1000, 256, 784)).toBe(1000);
  });

  it('is cut to what the memory cap holds', () => {
    // given a 1 MiB cap and 3,392-byte samples / then 309 fit
    expect(shuffleCapacity(100000, 1, 784)).toBe(Math.floor(2 ** 20 / (784 * 4 + 256)));
  });
});
