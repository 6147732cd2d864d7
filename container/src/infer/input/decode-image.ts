import * as jpeg from 'jpeg-js';
import { RecordError } from '../errors';
import type { ImageFormat } from './detect-format';
import { imageDimensions } from './image-dimensions';
import { jpegBudgetBytes } from './jpeg-budget';
import { jpegFrame } from './jpeg-frame';
import { decodePng } from './png-decoder';
import type { RgbaImage } from './rgba-image';

/** Decoded pixels, always RGBA, 8 bits per channel, row-major. */
export interface DecodeLimits {
  /** Largest image accepted, in pixels (width x height). */
  readonly maxPixels: number;
}

const MIB = 1024 * 1024;

function decodeJpeg(bytes: Uint8Array, limits: DecodeLimits): RgbaImage {
  const frame = jpegFrame(bytes);
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: limits.maxPixels / 1e6,
    maxMemoryUsageInMB: jpegBudgetBytes(frame, bytes.length) / MIB,
  });
  return { width: image.width, height: image.height, data: image.data };
}

function decodeRgba(format: ImageFormat, bytes: Uint8Array, limits: DecodeLimits): RgbaImage {
  return format === 'png' ? decodePng(bytes) : decodeJpeg(bytes, limits);
}

/**
 * Decodes an image whose header is within the pixel limit. Memory is bounded by the header
 * too: PNG data inflates at most to the size the header needs, and jpeg-js may allocate only
 * what the frame header implies (docs/container.md, Memory).
 */
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
    return decodeRgba(format, bytes, limits);
  } catch (error) {
    if (error instanceof RecordError) throw error;
    throw new RecordError(
      'DECODE_FAILED',
      `${format.toUpperCase()} corrupt: ${(error as Error).message}`,
    );
  }
}
