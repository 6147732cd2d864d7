import { closeReason, countFitting, fullReason } from '../../../lambda/batcher/batch-policy';

const thresholds = { maxFiles: 3, maxBytes: 1000, maxWaitMs: 60_000 };
const now = 1_000_000;

describe('closeReason', () => {
  it('closes at max files', () => {
    // given a batch holding max files
    // when the policy is asked
    // then it closes for max-files
    expect(closeReason({ files: 3, bytes: 10, oldestItemAt: now }, now, thresholds)).toBe(
      'max-files',
    );
  });

  it('closes at max bytes', () => {
    // given a batch holding max bytes in one file
    // when the policy is asked
    // then it closes for max-bytes
    expect(closeReason({ files: 1, bytes: 1000, oldestItemAt: now }, now, thresholds)).toBe(
      'max-bytes',
    );
  });

  it('closes when the oldest item has waited max wait', () => {
    // given a batch whose first item arrived max wait ago
    // when the policy is asked
    // then it closes for max-wait
    expect(closeReason({ files: 1, bytes: 10, oldestItemAt: now - 60_000 }, now, thresholds)).toBe(
      'max-wait',
    );
  });

  it('keeps a batch open while it is under every threshold', () => {
    // given a young batch under both size limits
    // when the policy is asked
    // then it stays open
    expect(
      closeReason({ files: 2, bytes: 999, oldestItemAt: now - 59_999 }, now, thresholds),
    ).toBeUndefined();
  });

  it('never closes an empty batch, however old', () => {
    // given an empty batch created long ago
    // when the policy is asked
    // then it stays open
    expect(closeReason({ files: 0, bytes: 0 }, now + 10 * 60_000, thresholds)).toBeUndefined();
  });
});

describe('countFitting', () => {
  it('takes items while files and bytes stay within the thresholds', () => {
    // given a batch with one file of 500 bytes
    // when items of 300, 200 and 1 bytes are offered
    // then the first two fit (3 files, 1000 bytes), the third not
    expect(countFitting([300, 200, 1], { files: 1, bytes: 500 }, thresholds)).toBe(2);
  });

  it('stops at max files even when bytes remain', () => {
    // given a batch with two small files
    // when two more small items are offered
    // then only one fits
    expect(countFitting([1, 1], { files: 2, bytes: 2 }, thresholds)).toBe(1);
  });

  it('lets an empty batch take one item larger than max bytes', () => {
    // given an empty batch
    // when an item above max bytes is offered, followed by a small one
    // then the large one is taken alone
    expect(countFitting([5000, 1], { files: 0, bytes: 0 }, thresholds)).toBe(1);
  });
});

describe('fullReason', () => {
  it('names max-bytes when the next item would overflow the bytes', () => {
    // given a batch with room for files but not for 600 more bytes
    // when asked why it is full
    // then it names max-bytes
    expect(fullReason({ files: 1, bytes: 500 }, 600, thresholds)).toBe('max-bytes');
  });

  it('names max-files when the files are used up', () => {
    // given a batch holding max files
    // when asked why it is full
    // then it names max-files
    expect(fullReason({ files: 3, bytes: 3 }, 1, thresholds)).toBe('max-files');
  });
});
