import { RecordError } from '../errors';
import type { ImageFormat } from './detect-format';

export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

function readPngDimensions(bytes: Uint8Array): Dimensions {
  // IHDR is always the first chunk: signature (8), length (4), type (4), width (4), height (4).
  if (bytes.length < 24) {
    throw new RecordError('DECODE_FAILED', `PNG truncated: ${bytes.length} bytes, no IHDR chunk`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function isStartOfFrame(marker: number): boolean {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpegDimensions(bytes: Uint8Array): Dimensions {
  let position = 2;
  while (position + 9 < bytes.length) {
    if (bytes[position] !== 0xff) {
      throw new RecordError('DECODE_FAILED', `JPEG corrupt: no marker at byte ${position}`);
    }
    const marker = bytes[position + 1];
    if (marker === 0xff) {
      position += 1;
      continue;
    }
    const length = (bytes[position + 2] << 8) | bytes[position + 3];
    if (isStartOfFrame(marker)) {
      return {
        height: (bytes[position + 5] << 8) | bytes[position + 6],
        width: (bytes[position + 7] << 8) | bytes[position + 8],
      };
    }
    position += 2 + length;
  }
  throw new RecordError('DECODE_FAILED', 'JPEG corrupt: no start-of-frame marker');
}

/** Image size read from the header alone, so an oversized image is refused before decoding. */
export function imageDimensions(format: ImageFormat, bytes: Uint8Array): Dimensions {
  return format === 'png' ? readPngDimensions(bytes) : readJpegDimensions(bytes);
}
