import { RecordError } from '../errors';
import type { ImageFormat } from './detect-format';
import { jpegFrame } from './jpeg-frame';

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

/** Image size read from the header alone, so an oversized image is refused before decoding. */
export function imageDimensions(format: ImageFormat, bytes: Uint8Array): Dimensions {
  if (format === 'png') return readPngDimensions(bytes);
  const { width, height } = jpegFrame(bytes);
  return { width, height };
}
