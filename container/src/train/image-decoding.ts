import type { NativeVariant } from '../../native/native-location';
import { detectFormat, isImageFormat } from '../infer/input/detect-format';
import { imageInput } from '../infer/input/image-input';
import type { ImageInputSpec } from './architecture';
import { UnreadableSampleError } from './errors';

/** Training images are small; this bounds the decode of a hostile or mislabelled huge file. */
const MAX_PIXELS = 4096 * 4096;

/**
 * Decodes a PNG or JPEG into the model's input through the worker's own path (imageInput:
 * TensorFlow's decoders and resize on a native backend, the JavaScript ones on wasm, then
 * channels and pixel * scale + offset), so training sees exactly what inference will see.
 */
export function decodeImage(
  bytes: Uint8Array,
  id: string,
  spec: ImageInputSpec,
  native?: NativeVariant,
): Float32Array {
  try {
    const format = detectFormat(id, bytes);
    if (!isImageFormat(format)) {
      throw new Error('no PNG or JPEG signature');
    }
    return imageInput(format, bytes, spec, {
      maxPixels: MAX_PIXELS,
      ...(native ? { native } : {}),
    });
  } catch (error) {
    throw new UnreadableSampleError(`${id}: cannot decode image (${(error as Error).message})`);
  }
}
