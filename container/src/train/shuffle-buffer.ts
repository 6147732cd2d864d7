/**
 * Shuffles a stream through a buffer of at most `capacity` items: once full, each incoming
 * item displaces a randomly chosen buffered one. Memory stays bounded by the capacity however
 * long the stream is; a buffer larger than the stream gives a full shuffle.
 */
export async function* shuffleThroughBuffer<T>(
  source: AsyncIterable<T>,
  capacity: number,
  random: () => number,
): AsyncGenerator<T> {
  const buffer: T[] = [];
  for await (const item of source) {
    if (buffer.length < capacity) {
      buffer.push(item);
      continue;
    }
    const index = Math.floor(random() * capacity);
    const out = buffer[index];
    buffer[index] = item;
    yield out;
  }
  while (buffer.length > 0) {
    const index = Math.floor(random() * buffer.length);
    const out = buffer[index];
    buffer[index] = buffer[buffer.length - 1];
    buffer.pop();
    yield out;
  }
}
