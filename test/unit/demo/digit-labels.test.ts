import type { ResultRecord } from '../../../lib/contracts/records';
import { labelAccuracy, trueLabelOf } from '../../../scripts/demo/digit-labels';

function result(key: string, label: string): ResultRecord {
  return {
    schemaVersion: 1,
    recordId: key,
    batchId: 'b',
    shard: 0,
    source: { bucket: 'in', key, etag: 'e', offset: 0 },
    model: { name: 'digits', version: 'v1' },
    predictions: [{ label, score: 0.9 }],
  };
}

test('the true label is the digit folder of a held-out upload', () => {
  expect(trueLabelOf('incoming/digits/7/312.png')).toBe('7');
});

test('a broken file in a label folder has no true label', () => {
  expect(trueLabelOf('incoming/digits/4/broken-noise.jpg')).toBeUndefined();
});

test('accuracy counts top-1 matches over labelled results only', () => {
  // Given two right, one wrong and one unlabelled result
  const accuracy = labelAccuracy([
    result('incoming/digits/1/1.png', '1'),
    result('incoming/digits/2/1.png', '2'),
    result('incoming/digits/3/1.png', '5'),
    result('incoming/other.png', '0'),
  ]);
  // Then 2 of 3 labelled are correct and the mistake is named
  expect(accuracy).toEqual({
    labelled: 3,
    correct: 2,
    accuracy: 2 / 3,
    confusions: [{ pair: '3->5', count: 1 }],
  });
});

test('accuracy over no labelled result is zero, not NaN', () => {
  expect(labelAccuracy([]).accuracy).toBe(0);
});
