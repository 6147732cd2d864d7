import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { decodePng } from '../../../container/src/infer/input/png-decoder';
import {
  encodePngFile,
  ihdr,
  PNG_CHANNELS,
  pngBomb,
  pngChunk,
  pngOfTinyChunks,
} from '../../helpers/png-encoder';
import { digitPng } from '../../helpers/train-digits';

const chunk = pngChunk;

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  if (filter === 1) return left;
  if (filter === 2) return up;
  if (filter === 3) return (left + up) >> 1;
  if (filter === 4) {
    const p = left + up - upLeft;
    const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
    return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
  }
  return 0;
}

/** An 8-bit PNG written by hand, every row with the given filter, as the spec defines them. */
function encodePng(
  width: number,
  height: number,
  colorType: number,
  pixels: Uint8Array,
  filter: number,
  extra: Buffer[] = [],
): Buffer {
  const bpp = PNG_CHANNELS[colorType];
  const stride = width * bpp;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 ? 0 : pixels[yy * stride + xx]);
      const p = predictor(filter, at(y, x - bpp), at(y - 1, x), at(y - 1, x - bpp));
      raw[y * (stride + 1) + 1 + x] = (pixels[y * stride + x] - p) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...extra,
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function randomBytes(count: number, seed: number, below = 256): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 16) % below;
  });
}

function pngjsRgba(bytes: Uint8Array): number[] {
  return Array.from(PNG.sync.read(Buffer.from(bytes)).data);
}

describe('decodePng', () => {
  const palette = chunk('PLTE', randomBytes(3 * 6, 9));
  const paletteAlpha = chunk('tRNS', Uint8Array.from([0, 128, 255]));
  const cases = [0, 2, 3, 4, 6].flatMap((colorType) =>
    [0, 1, 2, 3, 4].map((filter) => ({ colorType, filter })),
  );

  it.each(cases)(
    'decodes colour type $colorType with filter $filter exactly as pngjs does',
    ({ colorType, filter }) => {
      // given a 7x5 image of random pixels (palette indices below 6)
      const [width, height] = [7, 5];
      const count = width * height * PNG_CHANNELS[colorType];
      const pixels = randomBytes(count, 31 * colorType + filter, colorType === 3 ? 6 : 256);
      const extra = colorType === 3 ? [palette, paletteAlpha] : [];
      const bytes = encodePng(width, height, colorType, pixels, filter, extra);

      // when decoded
      const image = decodePng(bytes);

      // then the RGBA pixels are pngjs's, byte for byte
      expect([image.width, image.height]).toEqual([width, height]);
      expect(Array.from(image.data)).toEqual(pngjsRgba(bytes));
    },
  );

  it('decodes image data split into one-byte IDAT chunks as the same image in one chunk', () => {
    // given a 30x20 RGB image written once with one IDAT chunk and once with one per byte
    const header = { width: 30, height: 20, bitDepth: 8, colorType: 2, interlace: 0 };
    const samples = Array.from({ length: 30 * 20 * 3 }, (_, i) => (i * 37) % 256);
    // when both are decoded
    const whole = decodePng(encodePngFile(header, samples));
    const split = decodePng(pngOfTinyChunks(header, samples));
    // then the pixels are the same
    expect(split).toEqual(whole);
  });

  it('decodes real digit PNGs (written by pngjs, adaptive filters) as pngjs does', () => {
    // given 50 MNIST digits encoded by pngjs
    const pngs = Array.from({ length: 50 }, (_, i) => digitPng(i % 10, i));
    // when decoded / then each equals pngjs's own decode
    for (const png of pngs) expect(Array.from(decodePng(png).data)).toEqual(pngjsRgba(png));
  });

  const variants = [0, 2, 3, 4, 6].flatMap((colorType) =>
    ({ 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] })[
      colorType
    ]!.flatMap((bitDepth) => [0, 1].map((interlace) => ({ colorType, bitDepth, interlace }))),
  );

  it.each(variants)(
    'decodes colour type $colorType at $bitDepth bits, interlace $interlace, as pngjs does',
    ({ colorType, bitDepth, interlace }) => {
      // given a 13x11 image (every Adam7 pass non-empty) of random samples
      const header = { width: 13, height: 11, bitDepth, colorType, interlace };
      const count = 13 * 11 * PNG_CHANNELS[colorType];
      const below = colorType === 3 ? Math.min(6, 2 ** bitDepth) : 2 ** Math.min(bitDepth, 8);
      const scale = bitDepth === 16 ? 257 : 1;
      const samples = Array.from(
        randomBytes(count, 7 * bitDepth + colorType, below),
        (v) => v * scale,
      );
      const extra = colorType === 3 ? [palette, paletteAlpha] : [];
      const bytes = encodePngFile(header, samples, extra);

      // when decoded
      const image = decodePng(bytes);

      // then the RGBA pixels are pngjs's, byte for byte
      expect([image.width, image.height]).toEqual([13, 11]);
      expect(Array.from(image.data)).toEqual(pngjsRgba(bytes));
    },
  );

  it.each([
    ['interlaced, 8-bit', { bitDepth: 8, interlace: 1 }],
    ['16-bit', { bitDepth: 16, interlace: 0 }],
    ['interlaced, 16-bit', { bitDepth: 16, interlace: 1 }],
    ['2-bit', { bitDepth: 2, interlace: 0 }],
  ])('stops inflating a %s image at the size its header allows', (_, variant) => {
    // given a 2x2 grayscale header whose image data inflates to 1 MB
    const bomb = pngBomb({ width: 2, height: 2, colorType: 0, ...variant }, 1_000_000);
    // when decoded / then it fails naming the size the header allows, before pngjs inflates it
    expect(() => decodePng(bomb)).toThrow(/^image data does not inflate to \d+ bytes/);
  });

  it('rejects an IHDR that is not the first chunk or comes twice', () => {
    // given a 1x1 image with a second IHDR claiming 60000x60000
    const good = encodePngFile(
      { width: 1, height: 1, bitDepth: 8, colorType: 0, interlace: 0 },
      [0],
    );
    const second = ihdr({ width: 60_000, height: 60_000, bitDepth: 8, colorType: 0, interlace: 0 });
    const twice = Buffer.concat([good.subarray(0, 33), second, good.subarray(33)]);
    // when decoded / then the second header is named
    expect(() => decodePng(twice)).toThrow(
      'IHDR chunk at byte 33: IHDR must be the first chunk, and only once',
    );
  });

  it.each([
    [{ colorType: 1, bitDepth: 8 }, 'IHDR colour type 1 does not exist'],
    [{ colorType: 2, bitDepth: 4 }, 'IHDR bit depth 4 is not allowed for colour type 2'],
    [{ colorType: 0, bitDepth: 8, interlace: 2 }, 'IHDR interlace method 2 does not exist'],
  ])('rejects a header outside the specification: %o', (fields, message) => {
    // given a header with an impossible field
    const bytes = pngBomb({ width: 1, height: 1, interlace: 0, ...fields }, 2);
    // when decoded / then the field is named
    expect(() => decodePng(bytes)).toThrow(message);
  });

  it('names what is wrong with a corrupt file', () => {
    // given a valid 4x4 grayscale PNG
    const good = encodePng(4, 4, 0, randomBytes(16, 1), 1);
    const idat = good.indexOf('IDAT');
    const badCrc = Buffer.from(good);
    badCrc[idat + 5] ^= 0xff;
    const noEnd = good.subarray(0, good.length - 12);
    const badFilter = encodePng(4, 4, 0, randomBytes(16, 1), 7);

    // when decoded / then each failure says what and where
    expect(() => decodePng(good.subarray(0, idat + 20))).toThrow(
      /^chunk at byte \d+ runs past the end of the file/,
    );
    expect(() => decodePng(badCrc)).toThrow(/^IDAT chunk at byte \d+ fails its CRC check$/);
    expect(() => decodePng(noEnd)).toThrow(/before IEND$/);
    expect(() => decodePng(badFilter)).toThrow('row 0 has unknown filter type 7');
  });

  it('stops inflating at the size the header allows', () => {
    // given a header for a 2x2 grayscale image whose data inflates to 1 MB
    const header = Buffer.alloc(13);
    header.writeUInt32BE(2, 0);
    header.writeUInt32BE(2, 4);
    header[8] = 8;
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(new Uint8Array(1_000_000))),
      chunk('IEND', new Uint8Array(0)),
    ]);

    // when decoded / then it fails naming the 6 bytes 2x2 needs, not after inflating it all
    expect(() => decodePng(bomb)).toThrow(/^image data does not inflate to 6 bytes/);
  });
});
