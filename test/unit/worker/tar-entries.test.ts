import { gzipSync } from 'node:zlib';
import {
  ArchiveLimits,
  GZIP_MAX_RATIO,
  GZIP_RATIO_ALLOWANCE,
  TarEntry,
  tarEntries,
} from '../../../container/src/infer/input/tar-entries';
import {
  patchHeader,
  sizePatch,
  streamOf,
  tarBombGz,
  tarOf,
  tgzOf,
  typeflagPatch,
} from '../../helpers/tar-fixtures';

const limits: ArchiveLimits = { maxMemberBytes: 1000, maxMembers: 10, maxArchiveBytes: 1 << 20 };

/** Every entry, with file bytes as text so expectations read plainly. */
async function entriesOf(
  bytes: Uint8Array,
  format: 'tar' | 'tar+gzip' = 'tar',
  given: Partial<ArchiveLimits> = {},
) {
  const out: unknown[] = [];
  for await (const entry of tarEntries(streamOf(bytes, 700), format, { ...limits, ...given })) {
    out.push(
      entry.kind === 'file' ? { ...entry, bytes: Buffer.from(entry.bytes).toString() } : entry,
    );
  }
  return out;
}

const file = (index: number, name: string, bytes: string): unknown => ({
  kind: 'file',
  member: { index, name },
  bytes,
});

describe('tarEntries', () => {
  it('gives each regular file with its position and name, a tgz the same as a tar', async () => {
    // given three files, as a tar and as a tgz
    const members = [
      { name: 'a.png', body: 'aa' },
      { name: './b/c.jsonl', body: '[1]\n' },
      { name: '/abs/../d.csv', body: '1,2\n' },
    ];
    // when read
    const fromTar = await entriesOf(await tarOf(members));
    const fromTgz = await entriesOf(await tgzOf(members), 'tar+gzip');
    // then names are kept exactly as the headers spell them, in archive order
    const expected = [
      file(0, 'a.png', 'aa'),
      file(1, './b/c.jsonl', '[1]\n'),
      file(2, '/abs/../d.csv', '1,2\n'),
    ];
    expect(fromTar).toEqual(expected);
    expect(fromTgz).toEqual(expected);
  });

  it('gives directories as such and fails links and other non-regular entries alone', async () => {
    // given a directory, a symlink, a hard link and a fifo between two files
    const tar = await tarOf([
      { name: 'a', body: '1' },
      { name: 'dir/', type: 'directory' },
      { name: 'sym', type: 'symlink', linkname: 'a' },
      { name: 'hard', type: 'link', linkname: 'a' },
      { name: 'pipe', type: 'fifo' },
      { name: 'b', body: '2' },
    ]);
    // when read
    const entries = await entriesOf(tar);
    // then
    expect(entries).toEqual([
      file(0, 'a', '1'),
      { kind: 'directory', member: { index: 1, name: 'dir/' } },
      {
        kind: 'failed',
        member: { index: 2, name: 'sym' },
        code: 'UNSUPPORTED_FORMAT',
        reason: "member is a symlink to 'a'; only regular files are read",
      },
      {
        kind: 'failed',
        member: { index: 3, name: 'hard' },
        code: 'UNSUPPORTED_FORMAT',
        reason: "member is a link to 'a'; only regular files are read",
      },
      {
        kind: 'failed',
        member: { index: 4, name: 'pipe' },
        code: 'UNSUPPORTED_FORMAT',
        reason: 'member is a fifo; only regular files are read',
      },
      file(5, 'b', '2'),
    ]);
  });

  it('fails a member over --max-member-bytes alone, unread, and goes on', async () => {
    // given a 1001-byte member between two small ones, with a 1000-byte limit
    const tar = await tarOf([
      { name: 'a', body: 'x' },
      { name: 'big', body: 'y'.repeat(1001) },
      { name: 'b', body: 'z' },
    ]);
    // when read
    const entries = await entriesOf(tar);
    // then
    expect(entries).toEqual([
      file(0, 'a', 'x'),
      {
        kind: 'failed',
        member: { index: 1, name: 'big' },
        code: 'TOO_LARGE',
        reason: 'member is 1001 bytes, above the limit of 1000 (--max-member-bytes)',
      },
      file(2, 'b', 'z'),
    ]);
  });

  it('fails a member whose pax name is longer than the limit, naming its length', async () => {
    // given a member named with 2000 characters (a pax header)
    const name = `${'n'.repeat(1996)}.png`;
    // when read
    const [entry] = (await entriesOf(await tarOf([{ name, body: 'x' }]))) as TarEntry[];
    // then the name is cut in the record and the member refused
    expect(entry).toEqual({
      kind: 'failed',
      member: { index: 0, name: `${'n'.repeat(1024)}…` },
      code: 'UNSUPPORTED_FORMAT',
      reason: 'member name is 2000 characters, above the limit of 1024',
    });
  });

  it('stops after --max-archive-members entries with one failure naming the first unread', async () => {
    // given 5 files with a limit of 3 entries
    const tar = await tarOf(Array.from({ length: 5 }, (_, i) => ({ name: `${i}`, body: 'x' })));
    // when read
    const entries = await entriesOf(tar, 'tar', { maxMembers: 3 });
    // then
    expect(entries).toEqual([
      file(0, '0', 'x'),
      file(1, '1', 'x'),
      file(2, '2', 'x'),
      {
        kind: 'failed',
        code: 'TOO_LARGE',
        reason:
          "archive has more than 3 entries (--max-archive-members); entries from #3 ('3') on were not read",
      },
    ]);
  });

  it('stops a gzip bomb at --max-archive-bytes of tar data', async () => {
    // given 16 MiB of zeros gzipped, with a limit of 64 KiB of tar data
    const bomb = await tarBombGz(16 * 1024 * 1024);
    // when read
    const entries = await entriesOf(bomb, 'tar+gzip', {
      maxArchiveBytes: 64 * 1024,
      maxMemberBytes: 1 << 30,
    });
    // then the member being read fails and nothing after it is read
    expect(entries).toEqual([
      {
        kind: 'failed',
        member: { index: 0, name: 'zeros.png' },
        code: 'TOO_LARGE',
        reason:
          'archive stopped inside this member, at byte 65536 of the tar data: archive holds more than 65536 bytes of tar data (--max-archive-bytes); nothing after it was read',
      },
    ]);
  });

  it('keeps the entries before a corrupt header and fails the rest as one', async () => {
    // given a tar whose second header has a broken checksum
    const tar = Buffer.from(
      await tarOf([
        { name: 'a', body: 'x' },
        { name: 'b', body: 'y' },
      ]),
    );
    tar[1024 + 10] ^= 0xff;
    // when read
    const entries = await entriesOf(tar);
    // then
    expect(entries).toEqual([
      file(0, 'a', 'x'),
      {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: expect.stringMatching(
          /^archive unreadable at byte 1024 of the tar data, after 1 entry: Invalid tar header.*; nothing after it was read$/,
        ),
      },
    ]);
  });

  it('fails an archive cut at an entry boundary for its missing end-of-archive block', async () => {
    // given the first two of three entries, without the blocks that end a tar
    const tar = await tarOf([
      { name: 'a', body: 'x' },
      { name: 'b', body: 'y' },
      { name: 'c', body: 'z' },
    ]);
    // when read
    const entries = await entriesOf(tar.subarray(0, 2 * 1024));
    // then the two entries come, then the truncation
    expect(entries).toEqual([
      file(0, 'a', 'x'),
      file(1, 'b', 'y'),
      {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason:
          'archive ends at byte 2048 after 2 entries without an end-of-archive block: truncated',
      },
    ]);
  });

  it('fails gzip content that holds no tar as one DECODE_FAILED', async () => {
    // given gzipped text
    // when read as a gzipped tar
    const entries = await entriesOf(gzipSync(Buffer.from('x'.repeat(600))), 'tar+gzip');
    // then
    expect(entries).toEqual([
      {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: expect.stringMatching(
          /^archive unreadable at byte 0 of the tar data, after 0 entries: /,
        ),
      },
    ]);
  });

  it('reads no further than the consumer asks', async () => {
    // given a tar of 50 members of 10 KiB, streamed in small chunks whose reads are counted
    const tar = await tarOf(
      Array.from({ length: 50 }, (_, i) => ({ name: `${i}`, body: 'x'.repeat(10_000) })),
    );
    let read = 0;
    const source = streamOf(tar, 512);
    source.on('data', (chunk: Buffer) => (read += chunk.length));
    // when the consumer takes one entry and waits
    const entries = tarEntries(source, 'tar', { ...limits, maxMemberBytes: 1 << 20 });
    await entries.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const afterOne = read;
    await entries.return(undefined);
    // then far less than the archive was read
    expect(afterOne).toBeLessThan(tar.length / 4);
  });
});

describe('tarEntries reads archives as GNU tar and gzip do', () => {
  const three = [
    { name: 'a', body: 'x' },
    { name: 'b', body: 'y' },
    { name: 'c', body: 'z' },
  ];
  const threeFiles = [file(0, 'a', 'x'), file(1, 'b', 'y'), file(2, 'c', 'z')];

  it.each([
    ['a few bytes of text', Buffer.from('junk')],
    ['a lone gzip magic byte', Buffer.from([0x1f])],
    ['zero padding', Buffer.alloc(300)],
    ['random bytes', Buffer.from(Array.from({ length: 999 }, (_, i) => (i * 7919 + 13) % 256))],
  ])('ignores %s after a complete gzip stream and scores every member', async (_, tail) => {
    // given a complete .tar.gz followed by trailing bytes (gzip: "trailing garbage ignored")
    const tgz = Buffer.concat([await tgzOf(three), tail]);
    // when read, in one chunk and in small ones
    const whole = [];
    for await (const entry of tarEntries(streamOf(tgz, tgz.length), 'tar+gzip', limits)) {
      whole.push(
        entry.kind === 'file' ? { ...entry, bytes: Buffer.from(entry.bytes).toString() } : entry,
      );
    }
    // then every member is there and nothing failed
    expect(whole).toEqual(threeFiles);
    expect(await entriesOf(tgz, 'tar+gzip')).toEqual(threeFiles);
  });

  it('reads all 400 members of a large .tar.gz with trailing bytes', async () => {
    // given 400 members of 1 KB, gzipped, then trailing bytes
    const members = Array.from({ length: 400 }, (_, i) => ({
      name: `${i}.csv`,
      body: `${i}`.repeat(300),
    }));
    const tgz = Buffer.concat([await tgzOf(members), Buffer.from('trailing')]);
    // when read
    const entries = (await entriesOf(tgz, 'tar+gzip', { maxMembers: 1000 })) as TarEntry[];
    // then
    expect(entries.map((entry) => entry.kind)).toEqual(Array(400).fill('file'));
  });

  it('scores every member of a gzip stream whose CRC is wrong, then fails the archive at that byte', async () => {
    // given a .tar.gz whose stored CRC-32 has one bit flipped
    const tgz = Buffer.from(await tgzOf(three));
    tgz[tgz.length - 8] ^= 0x01;
    // when read
    const entries = await entriesOf(tgz, 'tar+gzip');
    // then the members come, then one failure on the archive naming the CRC and where it is
    expect(entries.slice(0, 3)).toEqual(threeFiles);
    expect(entries.slice(3)).toEqual([
      {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: expect.stringMatching(
          new RegExp(
            `^archive unreadable at byte 3072 of the tar data, after 3 entries: gzip data corrupt at compressed byte ${tgz.length - 8}: CRC-32 check failed .*; nothing after it was read$`,
          ),
        ),
      },
    ]);
  });

  it('fails the member a gzip stream is cut inside, with the byte offset, after the members before it', async () => {
    // given a .tar.gz of two 200 KB members, cut inside the second's compressed data
    const noise = (seed: number) =>
      Buffer.from(
        Array.from({ length: 200_000 }, (_, i) => ((i * 2654435761 + seed) >>> 13) & 0xff),
      );
    const tgz = await tgzOf([
      { name: 'a', body: noise(1) },
      { name: 'b', body: noise(2) },
    ]);
    // when read with the last third of the stream missing
    const entries = (await entriesOf(tgz.subarray(0, Math.floor(tgz.length * 0.66)), 'tar+gzip', {
      maxMemberBytes: 1 << 20,
    })) as TarEntry[];
    // then the first member is read and the second fails, saying where the data stopped
    expect(entries.map((entry) => entry.kind)).toEqual(['file', 'failed']);
    expect(entries[1]).toEqual({
      kind: 'failed',
      member: { index: 1, name: 'b' },
      code: 'DECODE_FAILED',
      reason: expect.stringMatching(
        /^archive stopped inside this member, at byte \d+ of the tar data: gzip stream ends at compressed byte \d+ inside a member: truncated; nothing after it was read$/,
      ),
    });
  });

  it('stops at the end-of-archive blocks: junk after them is no error', async () => {
    // given a tar followed by bytes that are no tar header
    const tar = Buffer.concat([await tarOf(three), Buffer.from('x'.repeat(2048))]);
    // when read, plain and gzipped
    // then the three members and nothing else
    expect(await entriesOf(tar)).toEqual(threeFiles);
    expect(await entriesOf(gzipSync(tar), 'tar+gzip')).toEqual(threeFiles);
  });

  it('does not read a second tar appended after the end-of-archive blocks', async () => {
    // given two tars concatenated, plain and as two gzip members
    const first = await tarOf(three);
    const second = await tarOf([{ name: 'second', body: 'w' }]);
    // when read
    // then only the first tar's members (GNU tar stops at the first end-of-archive block)
    expect(await entriesOf(Buffer.concat([first, second]))).toEqual(threeFiles);
    expect(await entriesOf(Buffer.concat([gzipSync(first), gzipSync(second)]), 'tar+gzip')).toEqual(
      threeFiles,
    );
  });

  it('reads a tar split across gzip members, as gzip does', async () => {
    // given one tar compressed as two gzip members (cut mid-header), as pigz or cat can make
    const tar = await tarOf(three);
    const tgz = Buffer.concat([gzipSync(tar.subarray(0, 700)), gzipSync(tar.subarray(700))]);
    // when read
    // then it is one archive
    expect(await entriesOf(tgz, 'tar+gzip')).toEqual(threeFiles);
  });

  it('fails a member declaring a size above the limit as TOO_LARGE, even when its data is cut', async () => {
    // given a member whose header declares 5000 bytes (limit 1000) but whose archive ends early
    const tar = patchHeader((await tarOf(three)).subarray(0, 3 * 1024), 1024, sizePatch(5000));
    // when read
    const entries = await entriesOf(tar);
    // then the member is TOO_LARGE from its header and the cut is the archive's
    expect(entries).toEqual([
      file(0, 'a', 'x'),
      {
        kind: 'failed',
        member: { index: 1, name: 'b' },
        code: 'TOO_LARGE',
        reason: 'member is 5000 bytes, above the limit of 1000 (--max-member-bytes)',
      },
      {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: expect.stringMatching(
          /^archive unreadable at byte 3072 of the tar data, after 2 entries: /,
        ),
      },
    ]);
  });

  it.each([
    [
      'V',
      "member is a GNU volume header (the archive label), type flag 'V'; only regular files are read",
    ],
    ['S', "member is a GNU sparse file, type flag 'S'; only regular files are read"],
    [
      'Z',
      "member is an entry of type flag 'Z', which tar does not define; only regular files are read",
    ],
  ])('names type flag %s by its meaning', async (flag, reason) => {
    // given a member whose type flag tar-stream does not name, between two files
    const tar = patchHeader(await tarOf(three), 1024, typeflagPatch(flag));
    // when read
    const entries = await entriesOf(tar);
    // then
    expect(entries).toEqual([
      file(0, 'a', 'x'),
      { kind: 'failed', member: { index: 1, name: 'b' }, code: 'UNSUPPORTED_FORMAT', reason },
      file(2, 'c', 'z'),
    ]);
  });

  it('stops a gzip bomb by its expansion ratio, long before --max-archive-bytes', async () => {
    // given 256 MiB of zeros gzipped (about 1000:1), under a 10 GiB archive limit
    const bomb = await tarBombGz(256 * 1024 * 1024);
    let compressedRead = 0;
    const source = streamOf(bomb, 4096);
    source.on('data', (chunk: Buffer) => (compressedRead += chunk.length));
    // when read
    const entries: TarEntry[] = [];
    for await (const entry of tarEntries(source, 'tar+gzip', {
      ...limits,
      maxMemberBytes: 1 << 30,
      maxArchiveBytes: 10 * 1024 ** 3,
    })) {
      entries.push(entry);
    }
    // then it fails as a bomb, and the tar data it named is within the documented bound
    expect(entries).toHaveLength(1);
    const [stop] = entries as Extract<TarEntry, { kind: 'failed' }>[];
    expect(stop.code).toBe('TOO_LARGE');
    const [, inflated, compressed] = /\((\d+) bytes of tar data from (\d+) compressed bytes/
      .exec(stop.reason)!
      .map(Number);
    expect(stop.reason).toMatch(/: gzip data expands more than 100 times .*a gzip bomb/);
    expect(inflated).toBeLessThanOrEqual(
      GZIP_RATIO_ALLOWANCE + GZIP_MAX_RATIO * compressed + 64 * 1024,
    );
    expect(compressedRead).toBeLessThan(bomb.length);
  });
});
