import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskObjectCache } from '../../../container/src/train/disk-object-cache';

describe('DiskObjectCache', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'cache-test-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  function counting(body: Uint8Array) {
    const fetch = jest.fn(async () => body);
    return fetch;
  }

  it('fetches each key once and serves later reads from disk', async () => {
    // given a cache with room for both bodies
    const cache = await DiskObjectCache.create(100, parent);
    const a = counting(Uint8Array.from([1, 2, 3]));
    const b = counting(Uint8Array.from([9]));

    // when each key is read three times
    const reads = [];
    for (let pass = 0; pass < 3; pass++) {
      reads.push(
        await cache.bytes('training/1/a.png', a),
        await cache.bytes('training/2/b.png', b),
      );
    }

    // then S3 was asked once per key, every read returned the same bytes, both are on disk
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 1]);
    expect(reads.map((r) => Array.from(r))).toEqual(
      Array(3)
        .fill([[1, 2, 3], [9]])
        .flat(),
    );
    expect(cache.size).toBe(4);
    await cache.dispose();
  });

  it('keeps only what fits in its budget and fetches the rest every time', async () => {
    // given a 5-byte budget and two 3-byte bodies
    const cache = await DiskObjectCache.create(5, parent);
    const first = counting(Uint8Array.from([1, 1, 1]));
    const second = counting(Uint8Array.from([2, 2, 2]));

    // when each is read twice
    for (let pass = 0; pass < 2; pass++) {
      await cache.bytes('first', first);
      await cache.bytes('second', second);
    }

    // then the first is cached, the second did not fit and was fetched both times
    expect([first.mock.calls.length, second.mock.calls.length]).toEqual([1, 2]);
    expect(cache.size).toBe(3);
    await cache.dispose();
  });

  it('removes its directory when disposed', async () => {
    // given a cache holding one body
    const cache = await DiskObjectCache.create(100, parent);
    await cache.bytes('k', counting(Uint8Array.from([1])));
    expect(readdirSync(parent)).toHaveLength(1);

    // when disposed, then nothing is left on disk
    await cache.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });
});
