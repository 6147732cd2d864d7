import { checkedDimensions, corruptImage, decodeImage, DecodeLimits } from './decode-image';
import type { ImageFormat } from './detect-format';
import { ImageSpec, preprocessImage } from './preprocess-image';
import { tensorflowImageInput } from './tensorflow-image';

/**
 * One image as the model's input, as its metadata says. On a native backend TensorFlow's own
 * decoders and resize make it (tensorflow-image.ts: the pixels Python and Keras see); on wasm the
 * JavaScript decoders and resize do (decode-image.ts, preprocess-image.ts; docs/container.md says
 * how far their pixels are from TensorFlow's). Either way the header is checked first: size
 * and pixel limit, before anything is decoded. Throws a RecordError naming the problem.
 */
export function imageInput(
  format: ImageFormat,
  bytes: Uint8Array,
  spec: ImageSpec,
  limits: DecodeLimits,
): Float32Array {
  if (limits.native === undefined) return preprocessImage(decodeImage(format, bytes, limits), spec);
  checkedDimensions(format, bytes, limits);
  try {
    return tensorflowImageInput(format, bytes, spec, limits.native);
  } catch (error) {
    throw corruptImage(format, error);
  }
}
