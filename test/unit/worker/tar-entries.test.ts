import { gzipSync } from 'node:zlib';
import {
  ArchiveLimits,
  TarEntry,
  tarEntries,
} from '../../../container/src/infer/input/tar-entries';
import { streamOf, tarBombGz, tarOf, tgzOf } from '../../helpers/tar-fixtures';

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
          'archive stopped inside this member: archive holds more than 65536 bytes of tar data (--max-archive-bytes); nothing after it was read',
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
          /^archive unreadable after 1 entry: Invalid tar header.*; nothing after it was read$/,
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
        reason: 'archive ends after 2 entries without an end-of-archive block: truncated',
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
        reason: expect.stringMatching(/^archive unreadable after 0 entries: /),
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
