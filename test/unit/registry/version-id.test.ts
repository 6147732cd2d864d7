import { isValidVersionId, newVersionId } from '../../../container/src/registry/version-id';

describe('newVersionId', () => {
  it('sorts later versions after earlier ones', () => {
    // given ids made a millisecond and a day apart
    const ids = [
      newVersionId(new Date('2026-11-27T00:00:00.000Z'), 'aaaaaa'),
      newVersionId(new Date('2026-11-26T10:00:00.001Z'), 'ffffff'),
      newVersionId(new Date('2026-11-26T10:00:00.000Z'), 'cccccc'),
    ];

    // when sorted as strings / then they are in time order
    expect([...ids].sort()).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('makes ids that are valid registry version names', () => {
    // given a new id / then it is accepted as a version name
    expect(isValidVersionId(newVersionId(new Date()))).toBe(true);
  });
});

describe('isValidVersionId', () => {
  it('rejects names that would escape the version directory', () => {
    // given path-like names / then they are rejected
    expect(['..', 'a/b', '', 'v 1'].map(isValidVersionId)).toEqual([false, false, false, false]);
  });
});
