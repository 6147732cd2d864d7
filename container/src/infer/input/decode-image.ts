import * as jpeg from 'jpeg-js';
import type { NativeVariant } from '../../../native/native-location';
import { RecordError } from '../errors';
import type { ImageFormat } from './detect-format';
import { Dimensions, imageDimensions } from './image-dimensions';
import { jpegBudgetBytes } from './jpeg-budget';
import { jpegFrame } from './jpeg-frame';
import { decodePng } from './png-decoder';
import type { RgbaImage } from './rgba-image';

/** Decoded pixels, always RGBA, 8 bits per channel, row-major. */
export interface DecodeLimits {
  /** Largest image accepted, in pixels (width x height). */
  readonly maxPixels: number;
  /**
   * Decode with TensorFlow's own image ops through this native binding (the one the backend
   * runs on), so pixels equal Python's tf.io.decode_jpeg / decode_png; absent, with the
   * JavaScript decoders below (the wasm backend's fallback).
   */
  readonly native?: NativeVariant;
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
 * The image's size from its header alone, refused before anything is decoded or allocated when
 * it is empty (DECODE_FAILED) or above the pixel limit (TOO_LARGE).
 */
export function checkedDimensions(
  format: ImageFormat,
  bytes: Uint8Array,
  limits: DecodeLimits,
): Dimensions {
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
  return { width, height };
}

/**
 * A decoder's error as the record's reason: the format, then the decoder's own words. tfjs-node
 * reports TensorFlow's message on the line after the status code ("Invalid TF_Status: 3\n
 * Message: Invalid PNG data, size 51830"); other decoders' messages are one line.
 */
export function corruptImage(format: ImageFormat, error: unknown): RecordError {
  if (error instanceof RecordError) return error;
  const message = (error as Error).message ?? String(error);
  const detail = /^Message: (.*)$/m.exec(message)?.[1] ?? message.split('\n')[0];
  return new RecordError('DECODE_FAILED', `${format.toUpperCase()} corrupt: ${detail}`);
}

/**
 * Decodes an image whose header is within the pixel limit with the JavaScript decoders (the
 * wasm backend's path). Memory is bounded by the header too: PNG data inflates at most to the
 * size the header needs, and jpeg-js may allocate only what the frame header implies
 * (docs/container.md, Memory).
 */
export function decodeImage(
  format: ImageFormat,
  bytes: Uint8Array,
  limits: DecodeLimits,
): RgbaImage {
  checkedDimensions(format, bytes, limits);
  try {
    return decodeRgba(format, bytes, limits);
  } catch (error) {
    throw corruptImage(format, error);
  }
}
