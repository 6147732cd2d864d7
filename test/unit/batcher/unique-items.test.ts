import { uniqueItems } from '../../../lambda/batcher/place-items';

describe('uniqueItems', () => {
  it('keeps one item per object version and distinguishes versions of one key', () => {
    // given a duplicate notification and a second version of the same key
    const v1 = { bucket: 'in', key: 'incoming/a.png', size: 1, etag: 'e1', versionId: 'v1' };
    const v2 = { ...v1, etag: 'e2', versionId: 'v2' };

    // when duplicates are dropped
    // then both versions stay, once each
    expect(uniqueItems([v1, v1, v2])).toEqual([v1, v2]);
  });
});
