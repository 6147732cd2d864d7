const ignore = () => undefined;

/**
 * Runs `source` up to `limit` values ahead of the consumer, starting now rather than at the
 * first read, so an archive streams and decodes while the model works on earlier objects.
 * An async generator serves queued `next()` calls one after another, so asking `limit` times
 * ahead is what makes it run ahead, in order. The source's error reaches the consumer at its
 * place in the sequence.
 */
export function readAhead<T>(source: AsyncGenerator<T>, limit: number): AsyncGenerator<T> {
  const pending: Promise<IteratorResult<T>>[] = [];
  const pull = () => {
    const next = source.next();
    // Awaited in turn below; until then a rejection must not count as unhandled.
    next.catch(ignore);
    pending.push(next);
  };
  for (let i = 0; i < Math.max(1, limit); i++) pull();
  async function* inOrder(): AsyncGenerator<T> {
    try {
      for (;;) {
        const result = await pending.shift()!;
        if (result.done) return;
        pull();
        yield result.value;
      }
    } finally {
      await source.return(undefined);
    }
  }
  return inOrder();
}
