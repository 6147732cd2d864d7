import type { InputSpec } from '../../../../lib/contracts/registry';
import type { RgbaImage } from './rgba-image';

export type ImageSpec = Extract<InputSpec, { kind: 'image' }>;

/** For each output column (or row): the two source pixels it blends and the second's weight. */
interface Taps {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Bilinear taps with half-pixel centres, as tf.image.resizeBilinear(halfPixelCenters): output
 * position o samples source coordinate (o + 0.5) * scale - 0.5, clamped to the image.
 * Computed once per axis so the per-pixel loop only reads tables.
 */
function bilinearTaps(sourceSize: number, outputSize: number): Taps {
  const taps = {
    first: new Int32Array(outputSize),
    second: new Int32Array(outputSize),
    weight: new Float64Array(outputSize),
  };
  const scale = sourceSize / outputSize;
  for (let o = 0; o < outputSize; o++) {
    const at = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), sourceSize - 1);
    const first = Math.floor(at);
    taps.first[o] = first;
    taps.second[o] = Math.min(first + 1, sourceSize - 1);
    taps.weight[o] = at - first;
  }
  return taps;
}

/** Same-size input: each output pixel reads one source pixel. */
function identityTaps(size: number): Taps {
  const first = Int32Array.from({ length: size }, (_, i) => i);
  return { first, second: first, weight: new Float64Array(size) };
}

/**
 * Per output channel c, value = pixel * gain[c] + bias[c]: pixel * scale + offset, then
 * (x - mean[c]) / std[c] folded into one multiply-add; source[c] is the RGB channel it reads.
 */
function channelTransform(spec: ImageSpec) {
  const source = spec.channels === 1 ? [0] : spec.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const mean = (c: number) => spec.mean?.[c] ?? 0;
  const std = (c: number) => spec.std?.[c] ?? 1;
  return {
    source,
    gain: source.map((_, c) => spec.scale / std(c)),
    bias: source.map((_, c) => (spec.offset - mean(c)) / std(c)),
  };
}

/**
 * The model input for one image, exactly as its metadata says: resized to width x height,
 * converted to 1 (luminance) or 3 (RGB, or BGR when channelOrder says so) channels, alpha
 * ignored, then pixel * scale + offset, then (x - mean) / std per channel. Returned flat in HWC
 * order, ready to be stacked into a batch. This runs once per record on the decode threads, so
 * the loops use precomputed tables and no per-pixel closures.
 */
export function preprocessImage(image: RgbaImage, spec: ImageSpec): Float32Array {
  const { data, width } = image;
  const columns =
    image.width === spec.width ? identityTaps(spec.width) : bilinearTaps(image.width, spec.width);
  const rows =
    image.height === spec.height
      ? identityTaps(spec.height)
      : bilinearTaps(image.height, spec.height);
  const { source, gain, bias } = channelTransform(spec);
  const out = new Float32Array(spec.width * spec.height * spec.channels);
  const pixel = [0, 0, 0];
  let i = 0;
  for (let y = 0; y < spec.height; y++) {
    const top = rows.first[y] * width;
    const bottom = rows.second[y] * width;
    const fy = rows.weight[y];
    for (let x = 0; x < spec.width; x++) {
      const left = columns.first[x];
      const right = columns.second[x];
      const fx = columns.weight[x];
      for (let c = 0; c < 3; c++) {
        const upper = data[(top + left) * 4 + c] * (1 - fx) + data[(top + right) * 4 + c] * fx;
        const lower =
          data[(bottom + left) * 4 + c] * (1 - fx) + data[(bottom + right) * 4 + c] * fx;
        pixel[c] = upper * (1 - fy) + lower * fy;
      }
      if (spec.channels === 1) {
        out[i++] = (0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2]) * gain[0] + bias[0];
      } else {
        out[i++] = pixel[source[0]] * gain[0] + bias[0];
        out[i++] = pixel[source[1]] * gain[1] + bias[1];
        out[i++] = pixel[source[2]] * gain[2] + bias[2];
      }
    }
  }
  return out;
}
