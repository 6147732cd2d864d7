import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';

/**
 * A PNG writer for tests, independent of the decoder under test: any colour type, bit depth
 * and interlacing (pngjs writes neither interlaced nor sub-byte images), straight from the
 * PNG specification (the W3C's Portable Network Graphics Specification). Rows use filter 0; pngjs and the fast path
 * are compared on the other filters elsewhere.
 */

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Samples per pixel for each colour type. */
export const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: first column and row, then column and row steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(body).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
}

export function ihdr(header: PngHeader): Buffer {
  const body = Buffer.alloc(13);
  body.writeUInt32BE(header.width, 0);
  body.writeUInt32BE(header.height, 4);
  body[8] = header.bitDepth;
  body[9] = header.colorType;
  body[12] = header.interlace;
  return pngChunk('IHDR', body);
}

/** Packs one row of samples (each below 2^bitDepth) into bytes, MSB first, after a filter byte 0. */
function packRow(samples: readonly number[], bitDepth: number): Buffer {
  const row = Buffer.alloc(1 + Math.ceil((samples.length * bitDepth) / 8));
  samples.forEach((sample, i) => {
    if (bitDepth === 16) {
      row.writeUInt16BE(sample, 1 + i * 2);
    } else {
      const bit = i * bitDepth;
      row[1 + (bit >> 3)] |= sample << (8 - bitDepth - (bit & 7));
    }
  });
  return row;
}

/** The raw (filtered, uninflated) image data of `samples`: channels per pixel, row-major. */
export function pngImageData(header: PngHeader, samples: readonly number[]): Buffer {
  const { width, height, bitDepth, colorType } = header;
  const channels = PNG_CHANNELS[colorType];
  const pixel = (x: number, y: number) =>
    samples.slice((y * width + x) * channels, (y * width + x + 1) * channels);
  const passes = header.interlace === 0 ? [[0, 0, 1, 1] as const] : ADAM7;
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    for (let y = y0; y < height; y += dy) {
      const row: number[] = [];
      for (let x = x0; x < width; x += dx) row.push(...pixel(x, y));
      if (row.length > 0) rows.push(packRow(row, bitDepth));
    }
  }
  return Buffer.concat(rows);
}

/** A complete PNG file; `extra` chunks (PLTE, tRNS) go between IHDR and IDAT. */
export function encodePngFile(
  header: PngHeader,
  samples: readonly number[],
  extra: readonly Buffer[] = [],
): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(header),
    ...extra,
    pngChunk('IDAT', deflateSync(pngImageData(header, samples))),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A PNG whose header claims `header` and whose image data inflates to `inflatedBytes` zeros. */
export function pngBomb(header: PngHeader, inflatedBytes: number): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(inflatedBytes), { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A valid PNG whose image data is split into IDAT chunks of `chunkBytes` each: millions of
 * chunks for a megapixel image, as a hostile file may be. Each chunk costs 12 bytes of framing,
 * so a decoder that keeps a small object per chunk grows many times the file's size.
 */
export function pngOfTinyChunks(
  header: PngHeader,
  samples: readonly number[],
  chunkBytes = 1,
): Buffer {
  // Stored, not compressed: the file is as large as its image data, whatever the samples.
  const data = deflateSync(pngImageData(header, samples), { level: 0 });
  const chunks = Math.ceil(data.length / chunkBytes);
  const head = Buffer.concat([PNG_SIGNATURE, ihdr(header)]);
  const end = pngChunk('IEND', new Uint8Array(0));
  const out = Buffer.alloc(head.length + chunks * 12 + data.length + end.length);
  head.copy(out);
  let at = head.length;
  for (let i = 0; i < data.length; i += chunkBytes) {
    const body = data.subarray(i, Math.min(i + chunkBytes, data.length));
    out.writeUInt32BE(body.length, at);
    out.write('IDAT', at + 4, 'latin1');
    body.copy(out, at + 8);
    out.writeUInt32BE(zlibCrc32(out.subarray(at + 4, at + 8 + body.length)), at + 8 + body.length);
    at += 12 + body.length;
  }
  end.copy(out, at);
  return out;
}
