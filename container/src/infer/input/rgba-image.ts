/** Decoded pixels, four bytes a pixel, row after row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}
