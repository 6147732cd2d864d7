import {
  contiguousParts,
  parsePartMetaKey,
  partKeys,
  resumePoint,
} from '../../../container/src/infer/output/checkpoint-parts';

const range = (firstItem: number, endItem: number) => ({ firstItem, endItem });

describe('checkpoint parts', () => {
  it('round-trips a part range through its metadata key', () => {
    // given a range
    const key = partKeys.meta('checkpoints/b/shard-00001/', range(40, 80));
    // when parsed back / then
    expect(key).toBe('checkpoints/b/shard-00001/part-000000040-000000080.json');
    expect(parsePartMetaKey(key)).toEqual(range(40, 80));
  });

  it('does not take a part data object for a complete part', () => {
    // given the results object of a part whose metadata may not exist yet
    const key = partKeys.results('p/', range(0, 10));
    // when parsed / then
    expect(parsePartMetaKey(key)).toBeUndefined();
  });

  it('chains parts from item 0 in order and resumes after the last', () => {
    // given parts listed out of order
    const parts = [range(20, 30), range(0, 10), range(10, 20)];
    // when chained for 50 items
    const chain = contiguousParts(parts, 50);
    // then
    expect(chain).toEqual([range(0, 10), range(10, 20), range(20, 30)]);
    expect(resumePoint(chain)).toBe(30);
  });

  it('stops the chain at a gap, so items after it are scored again', () => {
    // given a part missing between 10 and 20
    const chain = contiguousParts([range(0, 10), range(20, 30)], 50);
    // when / then
    expect(resumePoint(chain)).toBe(10);
  });

  it('ignores a stale part that overlaps the chain', () => {
    // given an attempt that checkpointed 0-10, 10-25 and an older one that left 20-30
    const chain = contiguousParts([range(0, 10), range(10, 25), range(20, 30)], 30);
    // when / then the stale part is not in the chain
    expect(chain).toEqual([range(0, 10), range(10, 25)]);
  });

  it('starts from 0 without parts', () => {
    // given / when / then
    expect(resumePoint(contiguousParts([], 5))).toBe(0);
  });
});
