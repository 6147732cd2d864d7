import type * as tf from '@tensorflow/tfjs';
import { NATIVE_PACKAGE, NativeVariant } from '../../../native/native-location';
import { loadNative } from '../../backend/load-native';
import type { ImageFormat } from './detect-format';
import { ImageSpec, normaliseRgb } from './preprocess-image';

/**
 * The part of a native binding's exports used here: TensorFlow's own image decode ops, and
 * tfjs itself, which the binding re-exports (so a decode thread on wasm never loads tfjs).
 */
interface ImageOps {
  readonly tidy: typeof tf.tidy;
  readonly image: Pick<typeof tf.image, 'resizeBilinear'>;
  readonly node: {
    decodeJpeg(contents: Uint8Array, channels: number): tf.Tensor3D;
    decodePng(contents: Uint8Array, channels: number): tf.Tensor3D;
  };
}

/** The binding loaded on this thread, once: a decode thread loads its own (it has its own tfjs). */
let loaded: { readonly variant: NativeVariant; readonly ops: ImageOps } | undefined;

/**
 * Loads the native binding on this thread, for a decode thread to call before it takes
 * requests (loading takes a second or two, which must not count against a decode's deadline).
 */
export function tensorflowImageOps(variant: NativeVariant): ImageOps {
  if (loaded?.variant === variant) return loaded.ops;
  const native = loadNative([variant]);
  if (!native.loaded) {
    throw new Error(`@tensorflow/${NATIVE_PACKAGE[variant]} does not load: ${native.reason}`);
  }
  loaded = { variant, ops: native.binding as ImageOps };
  return loaded.ops;
}

/**
 * One image as the model's input, decoded and resized by TensorFlow's own ops, so it is what
 * Python gives for the same file:
 * - JPEG through DecodeJpeg as tf.io.decode_jpeg(contents, channels=3) with its defaults:
 *   dct_method "" (which TensorFlow maps to libjpeg-turbo's fast integer DCT, the same pixels
 *   as "INTEGER_FAST", not the accurate one) and fancy_upscaling true (smooth chroma
 *   upsampling), ratio 1, no recovery of truncated data. For 3-component JPEGs that is also
 *   what the default channels=0 gives; a grayscale JPEG is repeated into the three channels.
 * - PNG through DecodePng as tf.io.decode_png(contents, channels=3): alpha dropped, 16-bit
 *   samples reduced to 8 bits as TensorFlow does.
 * - Resize through ResizeBilinear with half-pixel centres, as tf.image.resize(images, size)
 *   ('bilinear', no antialias) and Keras's Resizing layer: float32 pixels, skipped when the
 *   image already has the model's size (the op would return it unchanged).
 * The full-size pixels never leave TensorFlow; only the model-size result is read back, then
 * converted and normalised as the metadata says (normaliseRgb). Throws TensorFlow's error for a
 * corrupt file. The header was checked before (checkedDimensions).
 */
export function tensorflowImageInput(
  format: ImageFormat,
  bytes: Uint8Array,
  spec: ImageSpec,
  variant: NativeVariant,
): Float32Array {
  const ops = tensorflowImageOps(variant);
  const pixels = ops.tidy(() => {
    const decoded = format === 'png' ? ops.node.decodePng(bytes, 3) : ops.node.decodeJpeg(bytes, 3);
    const [height, width] = decoded.shape;
    if (height === spec.height && width === spec.width) return decoded;
    return ops.image.resizeBilinear(decoded, [spec.height, spec.width], false, true);
  });
  try {
    return normaliseRgb(pixels.dataSync(), spec);
  } finally {
    pixels.dispose();
  }
}
