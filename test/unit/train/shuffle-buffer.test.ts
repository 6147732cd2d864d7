import { seededRandom } from '../../../container/src/train/seeded-random';
import { shuffleThroughBuffer } from '../../../container/src/train/shuffle-buffer';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* numbers(count: number, pulled?: { count: number }): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    if (pulled) pulled.count += 1;
    yield i;
  }
}

describe('shuffleThroughBuffer', () => {
  it('yields every item exactly once', async () => {
    // given 1,000 items and a buffer of 64 / when shuffled
    const out = await collect(shuffleThroughBuffer(numbers(1000), 64, seededRandom(1)));

    // then the output is a permutation of the input
    expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('changes the order', async () => {
    // given 1,000 items / when shuffled through a buffer of 64
    const out = await collect(shuffleThroughBuffer(numbers(1000), 64, seededRandom(1)));

    // then most items moved from their input position
    expect(out.filter((value, index) => value !== index).length).toBeGreaterThan(900);
  });

  it('gives the same order for the same seed and another for another seed', async () => {
    // given two runs with seed 7 and one with seed 8
    const a = await collect(shuffleThroughBuffer(numbers(200), 32, seededRandom(7)));
    const b = await collect(shuffleThroughBuffer(numbers(200), 32, seededRandom(7)));
    const c = await collect(shuffleThroughBuffer(numbers(200), 32, seededRandom(8)));

    // then equal seeds agree and different seeds do not
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('never holds more than its capacity of unyielded items', async () => {
    // given a source that counts pulls
    const pulled = { count: 0 };
    let maxHeld = 0;
    const seen: number[] = [];

    // when 10,000 items pass through a buffer of 16
    for await (const item of shuffleThroughBuffer(numbers(10000, pulled), 16, seededRandom(3))) {
      seen.push(item);
      maxHeld = Math.max(maxHeld, pulled.count - seen.length);
    }

    // then all passed, and at most 16 were ever pulled but not yet yielded
    expect(seen).toHaveLength(10000);
    expect(maxHeld).toBeLessThanOrEqual(16);
  });
});
