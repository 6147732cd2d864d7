import { mapConcurrent } from '../../../container/src/train/map-concurrent';

describe('mapConcurrent', () => {
  it('yields results in input order even when later calls finish first', async () => {
    // given calls whose durations decrease along the input
    const items = [50, 40, 30, 20, 10, 0];
    const out: number[] = [];

    // when mapped four at a time
    for await (const value of mapConcurrent(items, 4, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    })) {
      out.push(value);
    }

    // then the order is the input's
    expect(out).toEqual(items);
  });

  it('keeps at most the given number of calls in flight', async () => {
    // given a counter of running calls
    let running = 0;
    let maxRunning = 0;

    // when 20 items are mapped 3 at a time
    let completed = 0;
    for await (const index of mapConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
        return i;
      },
    )) {
      completed = index + 1;
    }

    // then all completed, no more than 3 ran at once, and 3 did
    expect(completed).toBe(20);
    expect(maxRunning).toBe(3);
  });
});
