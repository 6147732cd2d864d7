import { RecordError } from '../../../container/src/infer/errors';
import { decodeImage } from '../../../container/src/infer/input/decode-image';
import {
  jpegOf,
  largePng,
  mnistDigit,
  pngOf,
  truncatedPng,
} from '../../helpers/worker-image-fixtures';
import { pngBomb } from '../../helpers/png-encoder';

const limits = { maxPixels: 10_000 };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as RecordError).code;
  }
  return undefined;
}

describe('decodeImage', () => {
  it('decodes a PNG into RGBA pixels equal to the source', () => {
    // given a PNG of a real digit
    const digit = mnistDigit(7, 0);
    // when decoded
    const image = decodeImage('png', pngOf(digit, 28, 28), limits);
    // then every pixel's red channel is the source value and alpha is opaque
    expect([image.width, image.height]).toEqual([28, 28]);
    expect(Array.from({ length: 784 }, (_, i) => image.data[i * 4])).toEqual(Array.from(digit));
    expect(image.data[3]).toBe(255);
  });

  it('decodes a JPEG close to the source pixels', () => {
    // given a quality-95 JPEG of a real digit
    const digit = mnistDigit(4, 0);
    // when decoded
    const image = decodeImage('jpeg', jpegOf(digit, 28, 28), limits);
    // then pixels are within JPEG loss of the source
    const meanError =
      digit.reduce((sum, value, i) => sum + Math.abs(value - image.data[i * 4]), 0) / digit.length;
    expect([image.width, image.height]).toEqual([28, 28]);
    expect(meanError).toBeLessThan(8);
  });

  it('fails a truncated PNG as DECODE_FAILED', () => {
    // given the first half of a PNG
    // when decoded / then
    expect(codeOf(() => decodeImage('png', truncatedPng(), limits))).toBe('DECODE_FAILED');
  });

  it('refuses an image above the pixel limit as TOO_LARGE before decoding it', () => {
    // given a 200x200 PNG and a 10,000 pixel limit
    const bytes = largePng(200, 200);
    // when decoded
    const decode = () => decodeImage('png', bytes, limits);
    // then it is too large, with both sizes in the reason
    expect(codeOf(decode)).toBe('TOO_LARGE');
    expect(decode).toThrow(/200x200 \(40000 pixels\), above the limit of 10000/);
  });

  it('reads JPEG dimensions from the frame header for the size limit', () => {
    // given a 120x110 JPEG and a 10,000 pixel limit
    const bytes = jpegOf(new Uint8Array(120 * 110), 120, 110);
    // when decoded / then
    expect(() => decodeImage('jpeg', bytes, limits)).toThrow(/120x110/);
  });

  it('fails a JPEG with a corrupt marker stream as DECODE_FAILED', () => {
    // given a JPEG signature followed by garbage
    const bytes = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78,
    ]);
    // when decoded / then
    expect(codeOf(() => decodeImage('jpeg', bytes, limits))).toBe('DECODE_FAILED');
  });
});

describe('decodeImage: memory bounded by the header', () => {
  const pixels = { maxPixels: 40_000_000 };

  /** Start-of-frame index of a JPEG written by jpeg-js (after its JFIF and tables). */
  const sofAt = (bytes: Buffer) => bytes.indexOf(Buffer.from([0xff, 0xc0]));

  it('fails an interlaced PNG whose data inflates past what its header allows', () => {
    // given an interlaced 100x100 gray PNG whose image data inflates to 20 MB
    const bomb = pngBomb(
      { width: 100, height: 100, bitDepth: 8, colorType: 0, interlace: 1 },
      20_000_000,
    );
    // when decoded / then it fails naming the size the header allows
    const decode = () => decodeImage('png', bomb, pixels);
    expect(codeOf(decode)).toBe('DECODE_FAILED');
    expect(decode).toThrow(/^PNG corrupt: image data does not inflate to 10188 bytes/);
  });

  it('fails a JPEG whose frame declares more components than jpeg-js turns into pixels', () => {
    // given a 28x28 JPEG whose frame header claims 200 components
    const bytes = Buffer.from(jpegOf(mnistDigit(1, 0), 28, 28));
    bytes[sofAt(bytes) + 9] = 200;
    // when decoded / then the count is named
    expect(() => decodeImage('jpeg', bytes, pixels)).toThrow(
      'JPEG corrupt: frame declares 200 components, expected 1 to 4',
    );
  });

  it('fails a JPEG that allocates beyond what its first frame header implies', () => {
    // given a 28x28 JPEG with a second frame header claiming 4000x4000 inserted after the first
    const bytes = Buffer.from(jpegOf(mnistDigit(1, 0), 28, 28));
    const at = sofAt(bytes);
    const length = bytes.readUInt16BE(at + 2);
    const second = Buffer.from(bytes.subarray(at, at + 2 + length));
    second.writeUInt16BE(4000, 5);
    second.writeUInt16BE(4000, 7);
    const twoFrames = Buffer.concat([
      bytes.subarray(0, at + 2 + length),
      second,
      bytes.subarray(at + 2 + length),
    ]);
    // when decoded / then jpeg-js stops at the memory the first header allows
    const decode = () => decodeImage('jpeg', twoFrames, pixels);
    expect(codeOf(decode)).toBe('DECODE_FAILED');
    expect(decode).toThrow(/maxMemoryUsageInMB limit exceeded/);
  });
});
