import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { RecordError } from '../errors';
import type { ImageFormat } from './detect-format';
import { imageDimensions } from './image-dimensions';
import { decodePng } from './png-decoder';

/** Decoded pixels, always RGBA, 8 bits per channel, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface DecodeLimits {
  /** Largest image accepted, in pixels (width x height). */
  readonly maxPixels: number;
}

function decodeRgba(format: ImageFormat, bytes: Uint8Array): RgbaImage {
  if (format === 'png') {
    const fast = decodePng(bytes);
    if (fast) return fast;
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: image.width, height: image.height, data: image.data };
}

export function decodeImage(
  format: ImageFormat,
  bytes: Uint8Array,
  limits: DecodeLimits,
): RgbaImage {
  const { width, height } = imageDimensions(format, bytes);
  if (width === 0 || height === 0) {
    throw new RecordError(
      'DECODE_FAILED',
      `${format.toUpperCase()} header says ${width}x${height}`,
    );
  }
  if (width * height > limits.maxPixels) {
    throw new RecordError(
      'TOO_LARGE',
      `image is ${width}x${height} (${width * height} pixels), above the limit of ${limits.maxPixels}`,
    );
  }
  try {
    return decodeRgba(format, bytes);
  } catch (error) {
    throw new RecordError(
      'DECODE_FAILED',
      `${format.toUpperCase()} corrupt: ${(error as Error).message}`,
    );
  }
}
