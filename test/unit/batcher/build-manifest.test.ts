import { validateManifest } from '../../../lib/contracts/manifest';
import { buildManifest } from '../../../lambda/batcher/build-manifest';
import type { BufferItem } from '../../../lambda/batcher/buffer-item';

const item = (key: string, extra: Partial<BufferItem> = {}): BufferItem => ({
  bucket: 'in',
  key,
  size: 1,
  etag: `e-${key}`,
  ...extra,
});

describe('buildManifest', () => {
  it('lists items in one order whatever order the members were read in', () => {
    // given the same members in two orders
    const members = [item('c'), item('a'), item('b', { versionId: 'v1' })];
    const input = {
      batchId: 'b1',
      createdAt: '2026-11-26T10:00:00.000Z',
      model: { name: 'digits' },
      shardSize: 2,
    };

    // when manifests are built from both
    const one = buildManifest({ ...input, items: members });
    const other = buildManifest({ ...input, items: [...members].reverse() });

    // then they are identical
    expect(one).toEqual(other);
    expect(one.items.map((i) => i.key)).toEqual(['a', 'b', 'c']);
  });

  it('counts shards of the configured size and passes the contract validation', () => {
    // given five members and shards of two
    const members = ['a', 'b', 'c', 'd', 'e'].map((key) => item(key));

    // when the manifest is built
    const manifest = buildManifest({
      batchId: 'b1',
      createdAt: '2026-11-26T10:00:00.000Z',
      model: { name: 'digits', version: '3' },
      shardSize: 2,
      items: members,
    });

    // then it has three shards and is a valid manifest
    expect(manifest.shardCount).toBe(3);
    expect(validateManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });
});
