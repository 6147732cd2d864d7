import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { MemberRef } from '../../../../lib/contracts/manifest';
import type { ErrorCode } from '../../../../lib/contracts/records';
import { RecordError } from '../errors';
import type { ArchiveFormat } from './detect-format';
import { GzipPosition, gunzipMembers } from './gzip-members';
import { TarFramer } from './tar-framer';

/** Bounds on one archive; every member is held in memory whole while it is decoded. */
export interface ArchiveLimits {
  /** Largest member read (`--max-member-bytes`); a larger one fails alone, unread. */
  readonly maxMemberBytes: number;
  /** Most entries read (`--max-archive-members`); the entries after them are not read. */
  readonly maxMembers: number;
  /** Most tar bytes read, after gunzip (`--max-archive-bytes`): bounds a gzip bomb. */
  readonly maxArchiveBytes: number;
}

/**
 * A gzipped archive's tar data may exceed its compressed bytes read so far this many times
 * only within the first GZIP_RATIO_ALLOWANCE bytes. Deflate expands at most 1032:1, so a gzip
 * bomb is stopped after GZIP_RATIO_ALLOWANCE + GZIP_MAX_RATIO x its compressed bytes, however
 * high --max-archive-bytes is; tars of text or of many small files compress 5 to 50 times.
 */
export const GZIP_MAX_RATIO = 100;
export const GZIP_RATIO_ALLOWANCE = 64 * 1024 * 1024;

/** Longest member name kept; pax headers allow names of up to tar-stream's 1 MiB header limit. */
export const MAX_MEMBER_NAME_CHARS = 1024;

export type TarEntry =
  | { readonly kind: 'file'; readonly member: MemberRef; readonly bytes: Uint8Array }
  /** Nothing to score and nothing wrong: counted as skipped. */
  | { readonly kind: 'directory'; readonly member: MemberRef }
  /**
   * A member that cannot be scored, or where reading stopped (then the last entry, on the
   * member being read or, without `member`, on the archive itself).
   */
  | {
      readonly kind: 'failed';
      readonly member?: MemberRef;
      readonly code: ErrorCode;
      readonly reason: string;
    };

const entries = (count: number) => `${count} ${count === 1 ? 'entry' : 'entries'}`;

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const chunk of entry) void chunk;
}

async function collect(entry: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  let at = 0;
  for await (const chunk of entry) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function cutName(name: string): MemberRef['name'] {
  return name.length <= MAX_MEMBER_NAME_CHARS ? name : `${name.slice(0, MAX_MEMBER_NAME_CHARS)}…`;
}

/** What the type flags tar-stream does not name stand for (GNU tar's and Solaris's). */
const OTHER_TYPES: Readonly<Record<string, string>> = {
  A: 'a Solaris access control list',
  D: 'a GNU dumpdir (directory listing of an incremental backup)',
  E: 'a Solaris extended attribute',
  I: 'an inode metadata entry',
  M: 'a GNU multi-volume continuation (the rest of a file begun in another volume)',
  N: 'an old GNU long-name entry',
  S: 'a GNU sparse file',
  V: 'a GNU volume header (the archive label)',
  X: 'a Solaris extended header',
};

function typeName(header: tar.Header, typeflag: string | undefined): string {
  if (header.type !== null) return `a ${header.type}`;
  const known = typeflag === undefined ? undefined : OTHER_TYPES[typeflag];
  if (known !== undefined) return `${known}, type flag '${typeflag}'`;
  return `an entry of type flag '${typeflag ?? '?'}', which tar does not define`;
}

/** Why a regular file's header alone rules it out; undefined when it is to be read. */
function headerProblem(
  header: tar.Header,
  name: string,
  limits: ArchiveLimits,
  typeflag: string | undefined,
) {
  if (header.type === 'directory') return undefined;
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    const target = header.linkname ? ` to '${cutName(header.linkname)}'` : '';
    return {
      code: 'UNSUPPORTED_FORMAT' as const,
      reason: `member is ${typeName(header, typeflag)}${target}; only regular files are read`,
    };
  }
  if (name.length > MAX_MEMBER_NAME_CHARS) {
    return {
      code: 'UNSUPPORTED_FORMAT' as const,
      reason: `member name is ${name.length} characters, above the limit of ${MAX_MEMBER_NAME_CHARS}`,
    };
  }
  if (header.size > limits.maxMemberBytes) {
    return {
      code: 'TOO_LARGE' as const,
      reason: `member is ${header.size} bytes, above the limit of ${limits.maxMemberBytes} (--max-member-bytes)`,
    };
  }
  return undefined;
}

function waitForDrain(extract: tar.Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      extract.off('drain', done);
      extract.off('close', done);
      resolve();
    };
    extract.on('drain', done);
    extract.on('close', done);
  });
}

/** Where reading stopped for a reason outside tar-stream: the source, gzip, or a limit. */
interface Fault {
  readonly code: ErrorCode;
  readonly message: string;
  /** Tar bytes passed to the reader before it. */
  readonly at: number;
}

function checkLimits(inflated: number, limits: ArchiveLimits, gzip: GzipPosition | undefined) {
  if (inflated > limits.maxArchiveBytes) {
    throw new RecordError(
      'TOO_LARGE',
      `archive holds more than ${limits.maxArchiveBytes} bytes of tar data (--max-archive-bytes)`,
    );
  }
  if (gzip && inflated > GZIP_RATIO_ALLOWANCE + GZIP_MAX_RATIO * gzip.compressedBytes) {
    throw new RecordError(
      'TOO_LARGE',
      `gzip data expands more than ${GZIP_MAX_RATIO} times (${inflated} bytes of tar data from ${gzip.compressedBytes} compressed bytes, past the first ${GZIP_RATIO_ALLOWANCE}): a gzip bomb`,
    );
  }
}

/**
 * Writes the archive's tar bytes, up to its end-of-archive block, into the extractor with
 * backpressure, so a paused consumer pauses the download; stops past the limits. A gzipped
 * archive is inflated to the end of the gzip member holding the end-of-archive block, so its
 * CRC is checked; nothing after that member is read, as GNU tar reads nothing after the block.
 */
async function feed(
  tarBytes: AsyncIterable<Uint8Array>,
  framer: TarFramer,
  extract: tar.Extract,
  limits: ArchiveLimits,
  gzip: GzipPosition | undefined,
): Promise<void> {
  let inflated = 0;
  for await (const chunk of tarBytes) {
    inflated += chunk.length;
    checkLimits(inflated, limits, gzip);
    for (const part of framer.take(chunk)) {
      if (!extract.write(part)) await waitForDrain(extract);
      if (extract.destroyed) return;
    }
    if (framer.ended && !gzip) break;
  }
}

function describeError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof RecordError) return { code: error.code, message: error.message };
  return { code: 'DECODE_FAILED', message: (error as Error).message };
}

/**
 * The entries of a tar (or gzipped tar) archive, streamed: one member in memory at a time,
 * read only as the consumer asks for the next. Read as GNU tar and gzip read it: reading ends
 * at the end-of-archive block, and bytes after the last gzip member are ignored. Never throws
 * for a bad archive: a bad member is a failed entry and the others go on; an archive that
 * cannot be read on (corrupt header or gzip data, truncated, over a limit, download cut) gives
 * every entry read before the problem, then one failed entry saying where it stopped, with its
 * byte offset: on the member it cut, or on the archive between members.
 */
export async function* tarEntries(
  source: Readable,
  format: ArchiveFormat,
  limits: ArchiveLimits,
): AsyncGenerator<TarEntry> {
  const framer = new TarFramer();
  const gzip = format === 'tar+gzip' ? gunzipMembers(source, () => framer.ended) : undefined;
  const extract = tar.extract();
  let fault: Fault | undefined;
  // A fault ends the extractor rather than destroying it, so the entries it already holds are
  // still read; only an entry cut short fails (tar-stream: "Unexpected end of data").
  const feeding = feed(gzip?.bytes ?? source, framer, extract, limits, gzip?.position).then(
    () => extract.end(undefined),
    (error: unknown) => {
      fault = { ...describeError(error), at: framer.offset };
      extract.end(undefined);
    },
  );
  let count = 0;
  let reading: MemberRef | undefined;
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const member: MemberRef = { index: count, name: cutName(header.name) };
      if (count >= limits.maxMembers) {
        yield {
          kind: 'failed',
          code: 'TOO_LARGE',
          reason: `archive has more than ${limits.maxMembers} entries (--max-archive-members); entries from #${count} ('${member.name}') on were not read`,
        };
        return;
      }
      const problem = headerProblem(header, header.name, limits, framer.typeflags[count]);
      count++;
      if (problem !== undefined || header.type === 'directory') {
        // Known from the header alone, so it stands even if its data turns out cut short.
        yield problem ? { kind: 'failed', member, ...problem } : { kind: 'directory', member };
        await drain(entry);
        continue;
      }
      reading = member;
      const bytes = await collect(entry as AsyncIterable<Uint8Array>, header.size);
      reading = undefined;
      yield { kind: 'file', member, bytes };
    }
    await feeding;
    if (fault !== undefined) {
      yield stopped(fault, undefined, count);
    } else if (!framer.ended) {
      yield {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: `archive ends at byte ${framer.offset} after ${entries(count)} without an end-of-archive block: truncated`,
      };
    }
  } catch (error) {
    // The fault that ended the extractor, if any, says more than tar-stream's "Unexpected end".
    const cause = fault ?? { ...describeError(error), at: framer.lostAt ?? framer.offset };
    yield stopped(cause, reading, count);
  } finally {
    extract.destroy();
    source.destroy();
    gzip?.bytes.return(undefined).catch(() => undefined);
  }
}

function stopped(fault: Fault, member: MemberRef | undefined, count: number): TarEntry {
  const where =
    member !== undefined
      ? `archive stopped inside this member, at byte ${fault.at} of the tar data`
      : `archive unreadable at byte ${fault.at} of the tar data, after ${entries(count)}`;
  return {
    kind: 'failed',
    ...(member !== undefined ? { member } : {}),
    code: fault.code,
    reason: `${where}: ${fault.message}; nothing after it was read`,
  };
}
