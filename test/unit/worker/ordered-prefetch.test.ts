import { orderedPrefetch } from '../../../container/src/infer/pipeline/ordered-prefetch';

/** A fetch whose calls finish only when the test says, recording how many ran at once. */
function controlledFetch() {
  let running = 0;
  let maxRunning = 0;
  const started: number[] = [];
  const fetch = async (item: number) => {
    started.push(item);
    running++;
    maxRunning = Math.max(maxRunning, running);
    // Later items finish first, so ordering is the generator's work.
    await new Promise((resolve) => setTimeout(resolve, (10 - (item % 10)) * 2));
    running--;
    return item * 10;
  };
  return { fetch, started, maxRunning: () => maxRunning };
}

async function collect<R>(generator: AsyncGenerator<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const value of generator) out.push(value);
  return out;
}

describe('orderedPrefetch', () => {
  it('yields results in input order although later fetches finish first', async () => {
    // given 20 items whose fetches finish in reverse order within each ten
    const { fetch } = controlledFetch();
    // when mapped with concurrency 4
    const out = await collect(
      orderedPrefetch(
        Array.from({ length: 20 }, (_, i) => i),
        fetch,
        { concurrency: 4, prefetch: 8 },
      ),
    );
    // then the results come in input order
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
  });

  it('never runs more fetches at once than the concurrency', async () => {
    // given 30 items
    const control = controlledFetch();
    // when mapped with concurrency 3 and a larger prefetch window
    await collect(
      orderedPrefetch(
        Array.from({ length: 30 }, (_, i) => i),
        control.fetch,
        { concurrency: 3, prefetch: 10 },
      ),
    );
    // then at most 3 ran together, and the window let 3 run together
    expect(control.maxRunning()).toBe(3);
  });

  it('starts no fetch more than the prefetch window ahead of the consumer', async () => {
    // given a consumer that stops after the first result
    const control = controlledFetch();
    const generator = orderedPrefetch(
      Array.from({ length: 50 }, (_, i) => i),
      control.fetch,
      { concurrency: 2, prefetch: 5 },
    );
    // when one result is consumed and the in-flight fetches settle
    await generator.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // then only the first window of 5 items was started
    expect(control.started).toEqual([0, 1, 2, 3, 4]);
    await generator.return(undefined);
  });

  it('rethrows a fetch failure at its position', async () => {
    // given a fetch that fails on item 2
    const fetch = async (item: number) => {
      if (item === 2) throw new Error('item 2 unreadable');
      return item;
    };
    const seen: number[] = [];
    // when consumed
    const run = async () => {
      for await (const value of orderedPrefetch([0, 1, 2, 3], fetch, {
        concurrency: 2,
        prefetch: 4,
      })) {
        seen.push(value);
      }
    };
    // then items before it were yielded and the error surfaces
    await expect(run()).rejects.toThrow('item 2 unreadable');
    expect(seen).toEqual([0, 1]);
  });
});

describe('orderedPrefetch with a byte bound', () => {
  it('starts no more bytes ahead of the consumer than the bound, and always the next item', async () => {
    // given items 0..9 of 100 bytes each except item 0 of 1,000, and a bound of 250 bytes
    const control = controlledFetch();
    const sizeOf = (item: number) => (item === 0 ? 1000 : 100);
    const generator = orderedPrefetch(
      Array.from({ length: 10 }, (_, i) => i),
      control.fetch,
      { concurrency: 10, prefetch: 10, prefetchBytes: 250 },
      sizeOf,
    );
    // when the first result is consumed, then the second
    await generator.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const afterFirst = [...control.started];
    await generator.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // then item 0 started alone although larger than the bound (nothing fitted beside it),
    // and once it was consumed the window held items 1 and 2 (200 bytes), not 3 (300)
    expect(afterFirst).toEqual([0]);
    expect(control.started).toEqual([0, 1, 2]);
    await generator.return(undefined);
  });
});
