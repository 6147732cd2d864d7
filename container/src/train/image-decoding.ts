import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageInputSpec } from './architecture';
import { UnreadableSampleError } from './errors';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8];

/**
 * Decodes a PNG or JPEG into the model's input layout (height x width x channels, row-major)
 * with `pixel * scale + offset` applied, exactly as InputSpec defines it. Images of another
 * size are rejected rather than resized, so training sees what inference will see.
 */
export function decodeImage(bytes: Uint8Array, id: string, spec: ImageInputSpec): Float32Array {
  const rgba = decodeRgba(bytes, id);
  if (rgba.width !== spec.width || rgba.height !== spec.height) {
    throw new UnreadableSampleError(
      `${id}: image is ${rgba.width}x${rgba.height}, the model expects ${spec.width}x${spec.height}`,
    );
  }
  const pixels = spec.width * spec.height;
  const out = new Float32Array(pixels * spec.channels);
  for (let p = 0; p < pixels; p++) {
    const r = rgba.data[p * 4];
    const g = rgba.data[p * 4 + 1];
    const b = rgba.data[p * 4 + 2];
    if (spec.channels === 1) {
      // ITU-R BT.601 luma; exact for grayscale images, where r = g = b.
      out[p] = (0.299 * r + 0.587 * g + 0.114 * b) * spec.scale + spec.offset;
    } else {
      out[p * 3] = r * spec.scale + spec.offset;
      out[p * 3 + 1] = g * spec.scale + spec.offset;
      out[p * 3 + 2] = b * spec.scale + spec.offset;
    }
  }
  return out;
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function decodeRgba(
  bytes: Uint8Array,
  id: string,
): { width: number; height: number; data: Uint8Array } {
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    }
  } catch (error) {
    throw new UnreadableSampleError(`${id}: cannot decode image (${(error as Error).message})`);
  }
  throw new UnreadableSampleError(`${id}: not a PNG or JPEG image`);
}
