import { randomlyShifted, shiftImage } from '../../../container/src/train/shift-augmentation';
import type { Sample } from '../../../container/src/train/sample';
import { seededRandom } from '../../../container/src/train/seeded-random';

const input = { kind: 'image', width: 3, height: 2, channels: 1, scale: 1, offset: 0 } as const;
// 1 2 3
// 4 5 6
const image = Float32Array.from([1, 2, 3, 4, 5, 6]);

async function collect(samples: AsyncIterable<Sample>): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const sample of samples) out.push(sample);
  return out;
}

describe('shiftImage', () => {
  it('moves pixels right and down, repeating the edge it uncovers', () => {
    // given / when / then
    expect(Array.from(shiftImage(image, input, 1, 0))).toEqual([1, 1, 2, 4, 4, 5]);
    expect(Array.from(shiftImage(image, input, 0, 1))).toEqual([1, 2, 3, 1, 2, 3]);
    expect(Array.from(shiftImage(image, input, -2, -1))).toEqual([6, 6, 6, 6, 6, 6]);
  });

  it('moves every channel of a pixel together', () => {
    // given a 2x1 RGB image
    const rgb = { ...input, width: 2, height: 1, channels: 3 } as const;
    const pixels = Float32Array.from([1, 2, 3, 4, 5, 6]);

    // when shifted left by one, then the second pixel's channels fill both places
    expect(Array.from(shiftImage(pixels, rgb, -1, 0))).toEqual([4, 5, 6, 4, 5, 6]);
  });
});

describe('randomlyShifted', () => {
  it('shifts by at most the limit, reproducibly from the seed, keeping id and label', async () => {
    // given 200 copies of a 5x5 image with one bright centre pixel
    const square = { ...input, width: 5, height: 5 } as const;
    const centre = new Float32Array(25);
    centre[12] = 1;
    const samples = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, x: centre, label: 3 }));
    async function* each() {
      yield* samples;
    }

    // when shifted by up to 2 pixels twice with the same seed
    const first = await collect(randomlyShifted(each(), square, 2, seededRandom(7)));
    const again = await collect(randomlyShifted(each(), square, 2, seededRandom(7)));

    // then the bright pixel lands anywhere in the 5x5 window, the same way both times
    const positions = first.map((s) => s.x.indexOf(1));
    expect(new Set(positions).size).toBe(25);
    expect(again.map((s) => s.x.indexOf(1))).toEqual(positions);
    expect(first.map((s) => [s.id, s.label])).toEqual(samples.map((s) => [s.id, 3]));
    expect(centre.indexOf(1)).toBe(12);
  });
});
