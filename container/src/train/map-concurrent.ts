/**
 * Maps items through an async function with at most `concurrency` calls in flight, yielding
 * results in input order. Only `concurrency` results are ever held, so a slow consumer
 * (training) throttles the downloads instead of letting them pile up in memory.
 * `fn` must not reject: per-item failures belong in its result.
 */
export async function* mapConcurrent<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  for (const item of items) {
    inFlight.push(fn(item));
    if (inFlight.length >= concurrency) {
      yield await inFlight.shift()!;
    }
  }
  while (inFlight.length > 0) {
    yield await inFlight.shift()!;
  }
}
