import { createInflateRaw, crc32, InflateRaw } from 'node:zlib';
import { RecordError } from '../errors';

/**
 * Input is inflated in slices of this size, so one slice of a gzip bomb (deflate expands at
 * most 1032:1) holds at most about 16 MiB of output before the reader sees it.
 */
const SLICE_BYTES = 16 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
const DEFLATE = 8;
const FLAG = { HCRC: 2, EXTRA: 4, NAME: 8, COMMENT: 16, RESERVED: 0xe0 } as const;

/** Where a gzip reader is in its compressed input. */
export interface GzipPosition {
  /** Compressed bytes consumed so far. */
  readonly compressedBytes: number;
}

const corrupt = (at: number, what: string) =>
  new RecordError('DECODE_FAILED', `gzip data corrupt at compressed byte ${at}: ${what}`);

/** The compressed input, read as the inflater asks, with the bytes it did not use put back. */
class ByteReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** The next unread bytes, or undefined at the end of the input. */
  async next(): Promise<Uint8Array | undefined> {
    while (this.pending.length === 0) {
      const next = await this.chunks.next();
      if (next.done) return undefined;
      this.pending = next.value;
    }
    const bytes = this.pending;
    this.pending = new Uint8Array(0);
    this.consumed += bytes.length;
    return bytes;
  }

  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending = this.pending.length === 0 ? bytes : concat(bytes, this.pending);
    this.consumed -= bytes.length;
  }

  /** Exactly `count` bytes, or fewer at the end of the input. */
  async take(count: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < count) {
      const bytes = await this.next();
      if (bytes === undefined) break;
      const used = bytes.subarray(0, count - have);
      this.unread(bytes.subarray(used.length));
      parts.push(used);
      have += used.length;
    }
    return parts.length === 1 ? parts[0] : concat(...parts);
  }

  /** Bytes up to and including the next zero byte (a header's name or comment field). */
  async skipZeroTerminated(): Promise<boolean> {
    for (let bytes = await this.next(); bytes !== undefined; bytes = await this.next()) {
      const zero = bytes.indexOf(0);
      if (zero >= 0) {
        this.unread(bytes.subarray(zero + 1));
        return true;
      }
    }
    return false;
  }

  /** Ends reading early: the source is not read further. */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

const truncated = (at: number, where: string) =>
  new RecordError(
    'DECODE_FAILED',
    `gzip stream ends at compressed byte ${at} inside ${where}: truncated`,
  );

/** Reads one member header; false when the input holds no further member (see gunzipMembers). */
async function readHeader(input: ByteReader, first: boolean): Promise<boolean> {
  const start = input.consumed;
  const fixed = await input.take(10);
  const isMember = GZIP_MAGIC.every((byte, i) => fixed[i] === byte);
  if (!first && !isMember) return false;
  if (!isMember) throw corrupt(start, 'no gzip signature');
  if (fixed.length < 10) throw truncated(input.consumed, 'a member header');
  if (fixed[2] !== DEFLATE) throw corrupt(start + 2, `unknown compression method ${fixed[2]}`);
  const flags = fixed[3];
  if ((flags & FLAG.RESERVED) !== 0) throw corrupt(start + 3, `reserved flag bits set`);
  if (flags & FLAG.EXTRA) {
    const size = await input.take(2);
    if (size.length < 2) throw truncated(input.consumed, 'a member header');
    const extra = size[0] | (size[1] << 8);
    if ((await input.take(extra)).length < extra) {
      throw truncated(input.consumed, 'a member header');
    }
  }
  for (const field of [FLAG.NAME, FLAG.COMMENT]) {
    if (flags & field && !(await input.skipZeroTerminated())) {
      throw truncated(input.consumed, 'a member header');
    }
  }
  if (flags & FLAG.HCRC && (await input.take(2)).length < 2) {
    throw truncated(input.consumed, 'a member header');
  }
  return true;
}

/** Writes one slice and resolves with its output once the inflater has consumed it. */
function inflateSlice(inflater: InflateRaw, slice: Uint8Array, out: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => out.push(chunk);
    // A zlib error destroys the stream, which may then never call the write's callback.
    const onError = (error: Error) => settle(error);
    const settle = (error?: Error | null) => {
      inflater.off('data', onData);
      inflater.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    inflater.on('data', onData);
    inflater.once('error', onError);
    inflater.write(slice, settle);
  });
}

/** The deflate body of one member, inflated; its unused input is put back. */
async function* inflateBody(
  input: ByteReader,
  check: { crc: number; size: number },
): AsyncGenerator<Uint8Array> {
  const inflater = createInflateRaw();
  // Each write listens for its own error; this one only keeps a late one from being unhandled.
  inflater.on('error', () => undefined);
  let ended = false;
  inflater.once('end', () => (ended = true));
  try {
    while (!ended) {
      const bytes = await input.next();
      if (bytes === undefined) {
        // The input ends: the body is complete only if zlib can finish it without more.
        const out: Buffer[] = [];
        inflater.on('data', (chunk: Buffer) => out.push(chunk));
        const finished = await new Promise<boolean>((resolve) => {
          inflater.once('end', () => resolve(true));
          inflater.once('error', () => resolve(false));
          inflater.end();
        });
        for (const chunk of out) yield record(check, chunk);
        if (!finished) throw truncated(input.consumed, 'a member');
        return;
      }
      for (let at = 0; at < bytes.length && !ended; at += SLICE_BYTES) {
        const slice = bytes.subarray(at, at + SLICE_BYTES);
        const before = inflater.bytesWritten;
        const sliceStart = input.consumed - bytes.length + at;
        const out: Buffer[] = [];
        try {
          await inflateSlice(inflater, slice, out);
        } catch (error) {
          throw corrupt(sliceStart, `${(error as Error).message} (in the 16 KiB from there)`);
        }
        for (const chunk of out) yield record(check, chunk);
        const used = inflater.bytesWritten - before;
        if (used < slice.length) {
          ended = true;
          input.unread(bytes.subarray(at + used));
        }
      }
    }
  } finally {
    inflater.destroy();
  }
}

function record(check: { crc: number; size: number }, chunk: Buffer): Buffer {
  check.crc = crc32(chunk, check.crc);
  check.size = (check.size + chunk.length) % 2 ** 32;
  return chunk;
}

/**
 * The decompressed bytes of a gzip stream, read as GNU gzip reads one: member after member,
 * each header, CRC-32 and length checked; bytes after a complete member that do not start
 * another member (trailing garbage, zero padding) are ignored, as gzip does ("decompression
 * OK, trailing garbage ignored"). `isLast` is asked after each member: when it says the reader
 * has all it needs, nothing after that member is read.
 *
 * Node's Gunzip is not used for the framing, for two measured reasons: it reads any nonzero
 * byte after a member as the start of another one and fails on trailing garbage, and when that
 * failure comes in the same write as the end of the good data, it drops that data's output (a
 * small .tar.gz with 4 bytes of trailing garbage yields no bytes at all). Inflating is still
 * zlib's (InflateRaw), which reports how much input the deflate body used.
 */
export function gunzipMembers(
  source: AsyncIterable<Uint8Array>,
  isLast: () => boolean,
): { readonly bytes: AsyncGenerator<Uint8Array>; readonly position: GzipPosition } {
  const input = new ByteReader(source);
  async function* members(): AsyncGenerator<Uint8Array> {
    try {
      for (let first = true; first || !isLast(); first = false) {
        if (!(await readHeader(input, first))) return;
        const check = { crc: 0, size: 0 };
        yield* inflateBody(input, check);
        const end = input.consumed;
        const trailer = await input.take(8);
        if (trailer.length < 8) throw truncated(input.consumed, 'a member trailer');
        const view = new DataView(trailer.buffer, trailer.byteOffset, 8);
        const [crc, size] = [view.getUint32(0, true), view.getUint32(4, true)];
        if (crc !== check.crc >>> 0) {
          throw corrupt(
            end,
            `CRC-32 check failed (the member's trailer says ${crc.toString(16).padStart(8, '0')}, its data gives ${(check.crc >>> 0).toString(16).padStart(8, '0')})`,
          );
        }
        if (size !== check.size) {
          throw corrupt(
            end,
            `length check failed (the trailer says ${size} bytes mod 2^32, the data is ${check.size})`,
          );
        }
      }
    } finally {
      await input.close();
    }
  }
  return {
    bytes: members(),
    position: {
      get compressedBytes() {
        return input.consumed;
      },
    },
  };
}
