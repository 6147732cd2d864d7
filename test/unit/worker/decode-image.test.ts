import { RecordError } from '../../../container/src/infer/errors';
import { decodeImage } from '../../../container/src/infer/input/decode-image';
import {
  jpegOf,
  largePng,
  mnistDigit,
  pngOf,
  truncatedPng,
} from '../../helpers/worker-image-fixtures';

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
