import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import type { MemberRef } from '../../../../lib/contracts/manifest';
import type { ErrorCode } from '../../../../lib/contracts/records';
import { RecordError } from '../errors';
import type { ArchiveFormat } from './detect-format';

/** Bounds on one archive; every member is held in memory whole while it is decoded. */
export interface ArchiveLimits {
  /** Largest member read (`--max-member-bytes`); a larger one fails alone, unread. */
  readonly maxMemberBytes: number;
  /** Most entries read (`--max-archive-members`); the entries after them are not read. */
  readonly maxMembers: number;
  /** Most tar bytes read, after gunzip (`--max-archive-bytes`): bounds a gzip bomb. */
  readonly maxArchiveBytes: number;
}

/** Longest member name kept; pax headers allow names of up to tar-stream's 1 MiB header limit. */
export const MAX_MEMBER_NAME_CHARS = 1024;

const BLOCK = 512;

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

const roundUp = (bytes: number) => Math.ceil(bytes / BLOCK) * BLOCK;
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

/** Why a regular file's header alone rules it out; undefined when it is to be read. */
function headerProblem(header: tar.Header, name: string, limits: ArchiveLimits) {
  if (header.type === 'directory') return undefined;
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    const target = header.linkname ? ` to '${cutName(header.linkname)}'` : '';
    return {
      code: 'UNSUPPORTED_FORMAT' as const,
      reason: `member is a ${header.type}${target}; only regular files are read`,
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

/**
 * Writes the archive's tar bytes into the extractor with backpressure, so a paused consumer
 * pauses the download; stops the archive past `maxArchiveBytes`. Resolves to the bytes fed.
 */
async function feed(
  tarBytes: AsyncIterable<Uint8Array>,
  extract: tar.Extract,
  limits: ArchiveLimits,
): Promise<number> {
  let fed = 0;
  for await (const chunk of tarBytes) {
    fed += chunk.length;
    if (fed > limits.maxArchiveBytes) {
      throw new RecordError(
        'TOO_LARGE',
        `archive holds more than ${limits.maxArchiveBytes} bytes of tar data (--max-archive-bytes)`,
      );
    }
    if (!extract.write(chunk)) await waitForDrain(extract);
    if (extract.destroyed) return fed;
  }
  extract.end(undefined);
  return fed;
}

function describeError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof RecordError) return { code: error.code, message: error.message };
  return { code: 'DECODE_FAILED', message: (error as Error).message };
}

/**
 * The entries of a tar (or gzipped tar) archive, streamed: one member in memory at a time,
 * read only as the consumer asks for the next. Never throws for a bad archive: a bad member is
 * a failed entry and the others go on; an archive that cannot be read on (corrupt header,
 * truncated, over a limit, download cut) ends with one failed entry naming where it stopped,
 * after the entries read before it.
 */
export async function* tarEntries(
  source: Readable,
  format: ArchiveFormat,
  limits: ArchiveLimits,
): AsyncGenerator<TarEntry> {
  const tarBytes: Readable =
    format === 'tar+gzip' ? pipeline(source, createGunzip(), () => undefined) : source;
  const extract = tar.extract();
  const feeding = feed(tarBytes, extract, limits);
  feeding.catch((error: unknown) => extract.destroy(error as Error));
  let count = 0;
  let reading: MemberRef | undefined;
  // Where the last entry's data ends: the end-of-archive block must follow it.
  let dataEnd = 0;
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
      count++;
      dataEnd = entry.offset + BLOCK + roundUp(header.size);
      reading = member;
      const problem = headerProblem(header, header.name, limits);
      if (problem !== undefined || header.type === 'directory') {
        await drain(entry);
        reading = undefined;
        yield problem ? { kind: 'failed', member, ...problem } : { kind: 'directory', member };
        continue;
      }
      const bytes = await collect(entry as AsyncIterable<Uint8Array>, header.size);
      reading = undefined;
      yield { kind: 'file', member, bytes };
    }
    const fed = await feeding;
    if (fed < dataEnd + BLOCK) {
      yield {
        kind: 'failed',
        code: 'DECODE_FAILED',
        reason: `archive ends after ${entries(count)} without an end-of-archive block: truncated`,
      };
    }
  } catch (error) {
    const { code, message } = describeError(error);
    const where =
      reading !== undefined
        ? `archive stopped inside this member: ${message}`
        : `archive unreadable after ${entries(count)}: ${message}`;
    yield {
      kind: 'failed',
      ...(reading !== undefined ? { member: reading } : {}),
      code,
      reason: `${where}; nothing after it was read`,
    };
  } finally {
    extract.destroy();
    tarBytes.destroy();
    source.destroy();
  }
}
