/** Counting semaphore: at most `limit` holders at a time, waiters served in arrival order. */
class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

export interface PrefetchOptions {
  /** Most calls of `fetch` running at once. */
  readonly concurrency: number;
  /** Most results fetched ahead of the consumer, which bounds memory. */
  readonly prefetch: number;
  /**
   * Most bytes (as `sizeOf` counts them) fetched ahead of the consumer, so a window wide enough
   * for thousands of small objects holds only a few large ones. The next item the consumer
   * waits for always starts, whatever its size.
   * @default no byte bound
   */
  readonly prefetchBytes?: number;
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Maps items through an async `fetch` with bounded concurrency and a read-ahead window bounded
 * in items and bytes, yielding results in input order, so the consumer's work overlaps the next
 * downloads. A wide window keeps the other downloads going while the consumer waits on one
 * slow item (a stalled GET being retried), instead of idling once the window is full.
 */
export async function* orderedPrefetch<T, R>(
  items: readonly T[],
  fetch: (item: T) => Promise<R>,
  options: PrefetchOptions,
  sizeOf: (item: T) => number = () => 0,
): AsyncGenerator<R> {
  const semaphore = new Semaphore(Math.max(1, options.concurrency));
  const window = Math.max(1, options.prefetch);
  const byteBudget = options.prefetchBytes ?? Infinity;
  const pending: Promise<Settled<R>>[] = [];
  let started = 0;
  let bytesAhead = 0;
  const start = (item: T): Promise<Settled<R>> =>
    semaphore
      .acquire()
      .then(() => fetch(item))
      .then(
        (value): Settled<R> => ({ ok: true, value }),
        (error: unknown): Settled<R> => ({ ok: false, error }),
      )
      .finally(() => semaphore.release());
  for (let next = 0; next < items.length; next++) {
    while (
      started < items.length &&
      started < next + window &&
      (started === next || bytesAhead + sizeOf(items[started]) <= byteBudget)
    ) {
      bytesAhead += sizeOf(items[started]);
      pending.push(start(items[started++]));
    }
    const settled = await pending.shift()!;
    bytesAhead -= sizeOf(items[next]);
    if (!settled.ok) throw settled.error;
    yield settled.value;
  }
}
