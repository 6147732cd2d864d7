import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { RgbaImage } from './rgba-image';

/** Samples per pixel for each colour type: gray, RGB, palette, gray+alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bit depths the PNG specification allows for each colour type (section 11.2.2). */
const BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Adam7 passes: first column and row, then column and row steps (PNG specification 8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface Header {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
}

interface Chunks {
  readonly header: Header;
  readonly data: Uint8Array[];
  readonly palette?: Uint8Array;
  readonly transparency?: Uint8Array;
}

/** Splits a PNG into its chunks, checking lengths and CRCs; stops at IEND, which must exist. */
function readChunks(bytes: Uint8Array): Chunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  const data: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  for (let at = 8; ;) {
    if (at + 12 > bytes.length) throw new Error(`file ends at byte ${bytes.length} before IEND`);
    const length = view.getUint32(at);
    const end = at + 8 + length;
    if (end + 4 > bytes.length) {
      throw new Error(`chunk at byte ${at} runs past the end of the file (${bytes.length} bytes)`);
    }
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (crc32(bytes, at + 4, end) !== view.getUint32(end)) {
      throw new Error(`${type} chunk at byte ${at} fails its CRC check`);
    }
    const body = bytes.subarray(at + 8, end);
    // The header must come first and once: the pixel limit was checked on the first one.
    if ((type === 'IHDR') !== (at === 8)) {
      throw new Error(`${type} chunk at byte ${at}: IHDR must be the first chunk, and only once`);
    }
    if (type === 'IHDR') {
      if (body.length !== 13) throw new Error(`IHDR chunk is ${body.length} bytes, not 13`);
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = {
        width: v.getUint32(0),
        height: v.getUint32(4),
        bitDepth: body[8],
        colorType: body[9],
        interlace: body[12],
      };
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at = end + 4;
  }
  if (!header) throw new Error('no IHDR chunk');
  return { header, data, palette, transparency };
}

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - up);
  const pc = Math.abs(p - upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

/** Reverses the per-scanline filters; returns the rows without their filter bytes. */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    const first = y > 0;
    // One loop per filter type: a switch per byte cost more than the arithmetic.
    switch (filter) {
      case 0:
        out.set(raw.subarray(source, source + stride), row);
        break;
      case 1:
        for (let x = 0; x < stride; x++) {
          out[row + x] = raw[source + x] + (x >= bpp ? out[row + x - bpp] : 0);
        }
        break;
      case 2:
        for (let x = 0; x < stride; x++) {
          out[row + x] = raw[source + x] + (first ? out[up + x] : 0);
        }
        break;
      case 3:
        for (let x = 0; x < stride; x++) {
          const left = x >= bpp ? out[row + x - bpp] : 0;
          out[row + x] = raw[source + x] + ((left + (first ? out[up + x] : 0)) >> 1);
        }
        break;
      case 4:
        for (let x = 0; x < stride; x++) {
          const left = x >= bpp ? out[row + x - bpp] : 0;
          const above = first ? out[up + x] : 0;
          const aboveLeft = first && x >= bpp ? out[up + x - bpp] : 0;
          out[row + x] = raw[source + x] + paeth(left, above, aboveLeft);
        }
        break;
      default:
        throw new Error(`row ${y} has unknown filter type ${filter}`);
    }
  }
  return out;
}

/** Expands decoded pixels to RGBA; tRNS gives palette alpha or the transparent gray/RGB key. */
function toRgba(pixels: Uint8Array, chunks: Chunks): Uint8Array {
  const { width, height, colorType } = chunks.header;
  if (colorType === 6) return pixels;
  const count = width * height;
  const rgba = new Uint8Array(count * 4);
  const key = chunks.transparency;
  if (colorType === 0 || colorType === 4) {
    const step = colorType === 0 ? 1 : 2;
    const transparent = colorType === 0 && key && key.length >= 2 ? key[1] : -1;
    for (let p = 0, o = 0; p < count; p++, o += 4) {
      const v = pixels[p * step];
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
      rgba[o + 3] = step === 2 ? pixels[p * 2 + 1] : v === transparent ? 0 : 255;
    }
  } else if (colorType === 2) {
    const hasKey = key !== undefined && key.length >= 6;
    for (let p = 0, o = 0; p < count; p++, o += 4) {
      const r = pixels[p * 3];
      const g = pixels[p * 3 + 1];
      const b = pixels[p * 3 + 2];
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = hasKey && key[1] === r && key[3] === g && key[5] === b ? 0 : 255;
    }
  } else {
    const palette = chunks.palette ?? new Uint8Array(0);
    for (let p = 0, o = 0; p < count; p++, o += 4) {
      const index = pixels[p];
      if (index * 3 + 2 >= palette.length) {
        throw new Error(`pixel ${p} uses palette entry ${index}, beyond the palette`);
      }
      rgba[o] = palette[index * 3];
      rgba[o + 1] = palette[index * 3 + 1];
      rgba[o + 2] = palette[index * 3 + 2];
      rgba[o + 3] = key && index < key.length ? key[index] : 255;
    }
  }
  return rgba;
}

/** Bytes the image data inflates to, with the filter byte of each row of each pass. */
function inflatedSize({ width, height, bitDepth, colorType, interlace }: Header): number {
  const rowBytes = (columns: number) => Math.ceil((columns * CHANNELS[colorType] * bitDepth) / 8);
  if (interlace === 0) return height * (rowBytes(width) + 1);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) total += rows * (rowBytes(columns) + 1);
  }
  return total;
}

function checkHeader(header: Header): void {
  const { bitDepth, colorType, interlace } = header;
  const depths = BIT_DEPTHS[colorType];
  if (depths === undefined) throw new Error(`IHDR colour type ${colorType} does not exist`);
  if (!depths.includes(bitDepth)) {
    throw new Error(`IHDR bit depth ${bitDepth} is not allowed for colour type ${colorType}`);
  }
  if (interlace !== 0 && interlace !== 1) {
    throw new Error(`IHDR interlace method ${interlace} does not exist`);
  }
}

/** The image data inflated, stopping at the size the header allows: a few bytes of deflate can claim gigabytes. */
function inflateBounded(chunks: Chunks): Buffer {
  if (chunks.data.length === 0) throw new Error('no IDAT chunk');
  const { width, height } = chunks.header;
  const expected = inflatedSize(chunks.header);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(chunks.data), { maxOutputLength: expected });
  } catch (error) {
    throw new Error(
      `image data does not inflate to ${expected} bytes (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (raw.length < expected) {
    throw new Error(`image data holds ${raw.length} bytes, ${width}x${height} needs ${expected}`);
  }
  return raw;
}

/**
 * Decodes a PNG of any colour type, bit depth and interlacing to RGBA, with its memory bounded
 * by the header: the image data is inflated at most to the size the header's width, height,
 * depth and interlacing need, and anything longer fails. 8-bit non-interlaced images (what
 * cameras, scanners and ML pipelines write) are decoded here from the chunks: ~4x faster than
 * pngjs, whose stream machinery dominated the decode of small images (docs/benchmarks.md,
 * Peers). 16-bit, sub-byte and interlaced images go to pngjs only once their data is known to
 * inflate within that size: pngjs inflates interlaced data with no bound of its own. Throws,
 * naming the problem, for corrupt files: bad CRC, truncation, missing IEND, a header out of
 * place or not in the specification, short or overlong image data, unknown filters.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const chunks = readChunks(bytes);
  checkHeader(chunks.header);
  const { width, height, bitDepth, colorType, interlace } = chunks.header;
  if (bitDepth === 8 && interlace === 0) {
    const raw = inflateBounded(chunks);
    return {
      width,
      height,
      data: toRgba(unfilter(raw, width, height, CHANNELS[colorType]), chunks),
    };
  }
  // Inflated here only to check the size, since pngjs inflates again; it is garbage at once.
  inflateBounded(chunks);
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}
