import * as fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { TarEntry, tarEntries } from '../../../container/src/infer/input/tar-entries';
import { archiveMembers, GeneratedMember, trailingBytes } from '../../helpers/hostile-inputs';
import { streamOf, tarOf } from '../../helpers/tar-fixtures';

/**
 * Properties of tarEntries on generated archives: trailing bytes, gzip CRC faults and
 * truncation at every byte offset. Seeded, so a failure reproduces.
 */

jest.setTimeout(120_000);

const SEED = 20261207;
const limits = { maxMemberBytes: 1 << 20, maxMembers: 100, maxArchiveBytes: 1 << 24 };

type Failed = Extract<TarEntry, { kind: 'failed' }>;

async function read(bytes: Uint8Array, format: 'tar' | 'tar+gzip', chunk: number) {
  const out: TarEntry[] = [];
  for await (const entry of tarEntries(streamOf(bytes, chunk), format, limits)) out.push(entry);
  return out;
}

const files = (entries: TarEntry[]) =>
  entries.flatMap((entry) =>
    entry.kind === 'file' ? [{ name: entry.member.name, body: Buffer.from(entry.bytes) }] : [],
  );
const asPacked = (members: readonly GeneratedMember[]) =>
  members.map(({ name, body }) => ({ name, body: Buffer.from(body) }));

/** Where each member's data ends in the tar (its header starts a block after the previous). */
function dataEnds(members: readonly GeneratedMember[]): number[] {
  let at = 0;
  return members.map(({ body }) => {
    const end = at + 512 + body.length;
    at += 512 + Math.ceil(body.length / 512) * 512;
    return end;
  });
}

const chunkSize = fc.constantFrom(1, 7, 512, 4096);
/** Chunk sizes for reads at every offset: one-byte chunks would make thousands of reads slow. */
const cutChunkSize = fc.constantFrom(100, 512, 4096);

describe('archives with trailing bytes', () => {
  it('give every member and no failure, plain or gzipped, whatever follows', async () => {
    await fc.assert(
      fc.asyncProperty(
        archiveMembers,
        trailingBytes,
        fc.boolean(),
        chunkSize,
        async (members, tail, gzipped, chunk) => {
          // given an archive followed by trailing bytes (after the gzip stream when gzipped)
          const tar = await tarOf(members);
          const bytes = Buffer.concat([gzipped ? gzipSync(tar) : tar, tail]);
          // when read
          const entries = await read(bytes, gzipped ? 'tar+gzip' : 'tar', chunk);
          // then every member, exactly as packed, and nothing else
          expect(entries.map((entry) => entry.kind)).toEqual(members.map(() => 'file'));
          expect(files(entries)).toEqual(asPacked(members));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('gzipped archives with a CRC or length fault', () => {
  it('give every member, then one archive failure naming the check and its byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        archiveMembers,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 255 }),
        chunkSize,
        async (members, fromEnd, flip, chunk) => {
          // given a .tar.gz with one byte of its CRC-32 or length trailer changed
          const tgz = Buffer.from(gzipSync(await tarOf(members)));
          tgz[tgz.length - fromEnd] ^= flip;
          // when read
          const entries = await read(tgz, 'tar+gzip', chunk);
          // then the members, then the fault on the archive (no member), at the trailer
          expect(files(entries)).toEqual(asPacked(members));
          expect(entries).toHaveLength(members.length + 1);
          const fault = entries[members.length] as Failed;
          expect(fault.member).toBeUndefined();
          expect(fault.code).toBe('DECODE_FAILED');
          expect(fault.reason).toMatch(
            new RegExp(
              `gzip data corrupt at compressed byte ${tgz.length - 8}: (CRC-32|length) check failed`,
            ),
          );
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('archives truncated at every offset', () => {
  it('give the members complete before the cut, then exactly one failure where it fell', async () => {
    await fc.assert(
      fc.asyncProperty(archiveMembers, cutChunkSize, async (members, chunk) => {
        // given a tar and every cut of it short of its end-of-archive block
        const tar = await tarOf(members);
        const ends = dataEnds(members);
        const endOfArchive = tar.length - 1024;
        for (let cut = 0; cut < endOfArchive + 512; cut++) {
          // when the cut is read
          const entries = await read(tar.subarray(0, cut), 'tar', chunk);
          // then the members whose data it holds, then one failure: on the member it cut
          // inside (a header whole before the cut), else on the archive
          const complete = ends.filter((end) => end <= cut).length;
          expect(files(entries)).toEqual(asPacked(members.slice(0, complete)));
          expect(entries).toHaveLength(complete + 1);
          const fault = entries[complete] as Failed;
          expect(fault.kind).toBe('failed');
          expect(fault.code).toBe('DECODE_FAILED');
          const headerStart = complete === 0 ? 0 : Math.ceil(ends[complete - 1] / 512) * 512;
          const inData = complete < members.length && cut >= headerStart + 512;
          expect(fault.member?.index).toBe(inData ? complete : undefined);
          expect(fault.reason).toMatch(/ byte \d+ /);
        }
      }),
      { seed: SEED, numRuns: 4 },
    );
  });

  it('give a prefix of the members and exactly one failure for every cut of a .tar.gz', async () => {
    await fc.assert(
      fc.asyncProperty(archiveMembers, chunkSize, async (members, chunk) => {
        // given a .tar.gz and every cut of it
        const tgz = gzipSync(await tarOf(members));
        for (let cut = 0; cut < tgz.length; cut++) {
          // when the cut is read
          const entries = await read(tgz.subarray(0, cut), 'tar+gzip', chunk);
          // then the files read are the first members, exactly, then one failure last
          const read_ = files(entries);
          expect(read_).toEqual(asPacked(members.slice(0, read_.length)));
          expect(entries).toHaveLength(read_.length + 1);
          expect(entries[read_.length]).toMatchObject({ kind: 'failed', code: 'DECODE_FAILED' });
        }
      }),
      { seed: SEED, numRuns: 8 },
    );
  });
});
