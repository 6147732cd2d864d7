const BLOCK = 512;
/** tar-stream refuses pax and GNU long-name headers above this size; so does the framer. */
const MAX_LONG_HEADER_BYTES = 4 * 1024 * 1024;
const CHECKSUM = { at: 148, length: 8 } as const;
const SIZE = { at: 124, length: 12 } as const;
const TYPEFLAG = 156;
const MAGIC = { at: 257, ustar: 'ustar\0', gnu: 'ustar  \0' } as const;
/** Headers whose data describes the next entry rather than being one. */
const LONG_HEADERS = new Set(['x', 'g', 'L', 'K']);

const roundUp = (bytes: number) => Math.ceil(bytes / BLOCK) * BLOCK;
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** A header field's number, octal or (GNU, for large values) base-256, as tar-stream reads it. */
function numberField(header: Uint8Array, at: number, length: number): number | undefined {
  const field = header.subarray(at, at + length);
  if (field[0] & 0x80) {
    if (field[0] !== 0x80) return undefined;
    return field.subarray(1).reduce((sum, byte) => sum * 256 + byte, 0);
  }
  const digits = text(field)
    .replace(/^[ \0]+/, '')
    .split(' ')[0];
  return digits.length === 0 ? 0 : parseInt(digits, 8);
}

/** The pax records' `size`, read as tar-stream's decodePax reads the records. */
function paxSize(payload: Uint8Array): string | undefined {
  let size: string | undefined;
  for (let rest = payload; rest.length > 0;) {
    const space = rest.indexOf(0x20);
    const length = parseInt(text(rest.subarray(0, space < 0 ? rest.length : space)), 10);
    if (!length) break;
    const record = Buffer.from(rest.subarray(space + 1, length - 1)).toString('utf8');
    const equals = record.indexOf('=');
    if (equals < 0) break;
    if (record.slice(0, equals) === 'size') size = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return size;
}

/**
 * Follows a tar stream's block structure alongside tar-stream, which reads the entries, for
 * the two things tar-stream does not give: where the archive ends, and each entry's raw type
 * flag. GNU tar stops at the first zero block where a header belongs (the end-of-archive
 * marker); tar-stream skips zero blocks and reads on, so junk after the marker became an error
 * and a second tar appended after it was read. The framer passes on the bytes up to the marker
 * and no further. Sizes follow tar-stream's rules (pax `size`, base-256, directories without
 * data), so both see the same headers; where a header is unreadable, tar-stream reports it and
 * the framer stops following (`lost`).
 */
export class TarFramer {
  /** Tar bytes passed on so far. */
  offset = 0;
  /** The end-of-archive block was found at `offset`; nothing after it is passed on. */
  ended = false;
  /** Each entry's type flag (pax and long-name headers are not entries), in entry order. */
  readonly typeflags: string[] = [];
  /** Where the header the framer could not read starts (tar-stream says what is wrong). */
  lostAt: number | undefined;
  private get lost(): boolean {
    return this.lostAt !== undefined;
  }
  private readonly header = new Uint8Array(BLOCK);
  private filled = 0;
  /** Bytes of data (with padding) before the next header. */
  private skip = 0;
  /** A pax header's payload being collected, and how much of `skip` it is. */
  private collecting: { bytes: Uint8Array[]; left: number; global: boolean } | undefined;
  private pax: { local?: string; global?: string; hasLocal: boolean } = { hasLocal: false };

  /** The parts of `chunk` that belong to the archive, in order, to be written to the reader. */
  take(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const pass = (part: Uint8Array) => {
      out.push(part);
      this.offset += part.length;
    };
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.lost) {
        pass(chunk.subarray(at));
        at = chunk.length;
      } else if (this.skip > 0) {
        const data = chunk.subarray(at, at + this.skip);
        if (this.collecting && this.collecting.left > 0) {
          const part = data.subarray(0, this.collecting.left);
          this.collecting.bytes.push(part);
          this.collecting.left -= part.length;
        }
        pass(data);
        at += data.length;
        this.skip -= data.length;
        if (this.skip === 0) this.endLongHeader();
      } else {
        // A header is held until whole: only then is it known whether it ends the archive.
        const part = chunk.subarray(at, at + BLOCK - this.filled);
        this.header.set(part, this.filled);
        this.filled += part.length;
        at += part.length;
        if (this.filled === BLOCK) {
          this.filled = 0;
          if (!this.readHeader()) pass(Uint8Array.from(this.header));
        }
      }
    }
    return out;
  }

  private endLongHeader(): void {
    if (!this.collecting) return;
    const size = paxSize(Buffer.concat(this.collecting.bytes));
    if (this.collecting.global) this.pax.global = size ?? this.pax.global;
    else this.pax = { ...this.pax, local: size, hasLocal: true };
    this.collecting = undefined;
  }

  /** Reads the whole header block; true when it is the end-of-archive marker. */
  private readHeader(): boolean {
    const header = this.header;
    let sum = 8 * 0x20;
    header.forEach((byte, i) => {
      if (i < CHECKSUM.at || i >= CHECKSUM.at + CHECKSUM.length) sum += byte;
    });
    // tar-stream's test for a zero block: all zero but (perhaps) the checksum field.
    if (sum === 8 * 0x20) {
      this.ended = true;
      return true;
    }
    const typeflag = String.fromCharCode(header[TYPEFLAG] || 0x30);
    let size = numberField(header, SIZE.at, SIZE.length);
    const magic = text(header.subarray(MAGIC.at, MAGIC.at + 8));
    const known = magic.startsWith(MAGIC.ustar) || magic === MAGIC.gnu;
    if (
      sum !== numberField(header, CHECKSUM.at, CHECKSUM.length) ||
      !known ||
      size === undefined ||
      !(size >= 0)
    ) {
      this.lostAt = this.offset;
      return false;
    }
    if (LONG_HEADERS.has(typeflag)) {
      if (size > MAX_LONG_HEADER_BYTES) {
        this.lostAt = this.offset;
        return false;
      }
      this.skip = roundUp(size);
      if (typeflag === 'x' || typeflag === 'g') {
        this.collecting = { bytes: [], left: size, global: typeflag === 'g' };
        if (size === 0) this.endLongHeader();
      }
      return false;
    }
    this.typeflags.push(typeflag);
    if (this.pax.hasLocal) {
      const paxValue = this.pax.local ?? this.pax.global;
      if (paxValue) size = parseInt(paxValue, 10);
      this.pax = { global: this.pax.global, hasLocal: false };
    }
    const nameEnd = header.indexOf(0);
    const slashName = header[(nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd) - 1] === 0x2f;
    const directory = typeflag === '5' || (typeflag === '0' && slashName);
    if (!(size >= 0)) {
      this.lostAt = this.offset;
      return false;
    }
    this.skip = directory ? 0 : roundUp(size);
    return false;
  }
}
