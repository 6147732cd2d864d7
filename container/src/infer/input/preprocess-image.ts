import type { InputSpec } from '../../../../lib/contracts/registry';
import type { RgbaImage } from './decode-image';

export type ImageSpec = Extract<InputSpec, { kind: 'image' }>;

function sampleChannel(image: RgbaImage, x: number, y: number, channel: number): number {
  // Bilinear interpolation with half-pixel centres, as tf.image.resizeBilinear(halfPixelCenters).
  const sx = Math.min(Math.max(x - 0.5, 0), image.width - 1);
  const sy = Math.min(Math.max(y - 0.5, 0), image.height - 1);
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, image.width - 1);
  const y1 = Math.min(y0 + 1, image.height - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const at = (px: number, py: number) => image.data[(py * image.width + px) * 4 + channel];
  const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
  const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * The model input for one image, exactly as its metadata says: resized to width x height,
 * converted to 1 (luminance) or 3 (RGB) channels, alpha ignored, then pixel * scale + offset.
 * Returned flat in HWC order, ready to be stacked into a batch.
 */
export function preprocessImage(image: RgbaImage, spec: ImageSpec): Float32Array {
  const out = new Float32Array(spec.width * spec.height * spec.channels);
  const sameSize = image.width === spec.width && image.height === spec.height;
  const scaleX = image.width / spec.width;
  const scaleY = image.height / spec.height;
  let i = 0;
  for (let y = 0; y < spec.height; y++) {
    for (let x = 0; x < spec.width; x++) {
      const channel = (c: number) =>
        sameSize
          ? image.data[(y * image.width + x) * 4 + c]
          : sampleChannel(image, (x + 0.5) * scaleX, (y + 0.5) * scaleY, c);
      if (spec.channels === 1) {
        const luminance = 0.299 * channel(0) + 0.587 * channel(1) + 0.114 * channel(2);
        out[i++] = luminance * spec.scale + spec.offset;
      } else {
        for (let c = 0; c < 3; c++) out[i++] = channel(c) * spec.scale + spec.offset;
      }
    }
  }
  return out;
}
