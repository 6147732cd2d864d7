import { RecordError } from '../errors';

export interface JpegComponent {
  /** Horizontal and vertical sampling factors. */
  readonly h: number;
  readonly v: number;
}

/** The start-of-frame header: size and components, which fix what decoding allocates. */
export interface JpegFrame {
  readonly width: number;
  readonly height: number;
  readonly components: readonly JpegComponent[];
}

/** jpeg-js turns 1, 3 or 4 components into RGBA (gray, YCbCr or RGB, CMYK or YCCK). */
const MAX_COMPONENTS = 4;

function isStartOfFrame(marker: number): boolean {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const corrupt = (detail: string) => new RecordError('DECODE_FAILED', `JPEG corrupt: ${detail}`);

function readFrame(bytes: Uint8Array, at: number): JpegFrame {
  // FF Cn, length (2), precision (1), height (2), width (2), count (1), 3 bytes per component.
  const count = bytes[at + 9];
  if (at + 10 + count * 3 > bytes.length) throw corrupt('start-of-frame header truncated');
  if (count === 0 || count > MAX_COMPONENTS) {
    throw corrupt(`frame declares ${count} components, expected 1 to ${MAX_COMPONENTS}`);
  }
  const components = Array.from({ length: count }, (_, i) => ({
    h: bytes[at + 11 + i * 3] >> 4,
    v: bytes[at + 11 + i * 3] & 15,
  }));
  // JPEG allows sampling factors 1 to 4 (ITU-T T.81, B.2.2).
  const bad = components.findIndex(({ h, v }) => h < 1 || h > 4 || v < 1 || v > 4);
  if (bad >= 0) {
    const { h, v } = components[bad];
    throw corrupt(`component ${bad} has sampling factors ${h}x${v}, expected 1 to 4`);
  }
  return {
    height: (bytes[at + 5] << 8) | bytes[at + 6],
    width: (bytes[at + 7] << 8) | bytes[at + 8],
    components,
  };
}

/** The first start-of-frame header, found by walking the marker segments before it. */
export function jpegFrame(bytes: Uint8Array): JpegFrame {
  let position = 2;
  while (position + 9 < bytes.length) {
    if (bytes[position] !== 0xff) throw corrupt(`no marker at byte ${position}`);
    const marker = bytes[position + 1];
    if (marker === 0xff) {
      position += 1;
      continue;
    }
    if (isStartOfFrame(marker)) return readFrame(bytes, position);
    position += 2 + ((bytes[position + 2] << 8) | bytes[position + 3]);
  }
  throw corrupt('no start-of-frame marker');
}
