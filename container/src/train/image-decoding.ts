import { decodeImage as decodeRgba } from '../infer/input/decode-image';
import { detectFormat, isImageFormat } from '../infer/input/detect-format';
import { preprocessImage } from '../infer/input/preprocess-image';
import type { ImageInputSpec } from './architecture';
import { UnreadableSampleError } from './errors';

/** Training images are small; this bounds the decode of a hostile or mislabelled huge file. */
const MAX_PIXELS = 4096 * 4096;

/**
 * Decodes a PNG or JPEG into the model's input with the worker's own decoder and
 * preprocessing (resize, channels, pixel * scale + offset), so training sees exactly what
 * inference will see.
 */
export function decodeImage(bytes: Uint8Array, id: string, spec: ImageInputSpec): Float32Array {
  try {
    const format = detectFormat(id, bytes);
    if (!isImageFormat(format)) {
      throw new Error('no PNG or JPEG signature');
    }
    return preprocessImage(decodeRgba(format, bytes, { maxPixels: MAX_PIXELS }), spec);
  } catch (error) {
    throw new UnreadableSampleError(`${id}: cannot decode image (${(error as Error).message})`);
  }
}
