import type { ImageInputSpec } from './architecture';
import type { Sample } from './sample';

/**
 * The image moved by (dx, dy) pixels (positive = right, down). Pixels shifted in from outside
 * repeat the nearest edge pixel, so a white or grey background stays that colour.
 */
export function shiftImage(
  x: Float32Array,
  input: ImageInputSpec,
  dx: number,
  dy: number,
): Float32Array {
  const { width, height, channels } = input;
  const out = new Float32Array(x.length);
  for (let row = 0; row < height; row++) {
    const fromRow = Math.min(height - 1, Math.max(0, row - dy));
    for (let column = 0; column < width; column++) {
      const fromColumn = Math.min(width - 1, Math.max(0, column - dx));
      const to = (row * width + column) * channels;
      const from = (fromRow * width + fromColumn) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = x[from + c];
    }
  }
  return out;
}

/**
 * Each training image moved by a random whole-pixel offset of at most `maxShift` in each
 * direction, drawn from `random`: small translations are the cheapest augmentation that
 * helps a CNN trained on a few thousand images generalise (docs/retraining.md).
 */
export async function* randomlyShifted(
  samples: AsyncIterable<Sample>,
  input: ImageInputSpec,
  maxShift: number,
  random: () => number,
): AsyncGenerator<Sample> {
  const offset = () => Math.floor(random() * (2 * maxShift + 1)) - maxShift;
  for await (const sample of samples) {
    const dx = offset();
    const dy = offset();
    yield dx === 0 && dy === 0 ? sample : { ...sample, x: shiftImage(sample.x, input, dx, dy) };
  }
}
