import type { JpegFrame } from './jpeg-frame';

/** Room for the quantisation and Huffman tables, which the file's own bytes also bound. */
const TABLES_BYTES = 64 * 1024;

/**
 * What jpeg-js allocates, by its own accounting, to decode one frame of this header to RGBA:
 * a 64-sample Int32Array per 8x8 block of each component (padded to whole MCUs), the
 * component's sample lines, the interleaved samples and the RGBA output; plus the file's
 * length for the tables and application data read from it. Given to jpeg-js as its memory
 * limit, so a file that allocates beyond what its first frame header implies (a second frame,
 * say) fails instead.
 */
export function jpegBudgetBytes(frame: JpegFrame, fileBytes: number): number {
  const { width, height, components } = frame;
  const maxH = Math.max(...components.map((c) => c.h));
  const maxV = Math.max(...components.map((c) => c.v));
  const mcusPerLine = Math.ceil(width / 8 / maxH);
  const mcusPerColumn = Math.ceil(height / 8 / maxV);
  let total = width * height * (components.length + 4) + fileBytes + TABLES_BYTES;
  for (const { h, v } of components) {
    total += mcusPerLine * h * mcusPerColumn * v * 256;
    const blocksPerLine = Math.ceil((Math.ceil(width / 8) * h) / maxH);
    const blocksPerColumn = Math.ceil((Math.ceil(height / 8) * v) / maxV);
    total += blocksPerLine * 8 * blocksPerColumn * 8;
  }
  return total;
}
