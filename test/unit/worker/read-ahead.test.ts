import { readAhead } from '../../../container/src/infer/pipeline/read-ahead';

/** A source of 0..count-1 that records how far it has been asked to run. */
function countingSource(count: number, failAt?: number) {
  const state = { produced: 0 };
  async function* source() {
    for (let i = 0; i < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i === failAt) throw new Error(`source failed at ${i}`);
      state.produced = i + 1;
      yield i;
    }
  }
  return { source: source(), state };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('readAhead', () => {
  it('yields every value in order', async () => {
    // given a source of 20 values
    const { source } = countingSource(20);
    // when read through a read-ahead of 4
    const out: number[] = [];
    for await (const value of readAhead(source, 4)) out.push(value);
    // then
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('runs the source ahead from the start, by at most the limit', async () => {
    // given a source of 20 values behind a read-ahead of 4
    const { source, state } = countingSource(20);
    const ahead = readAhead(source, 4);
    // when nothing is read yet, then 4 are produced
    await settle();
    expect(state.produced).toBe(4);
    // when one is read, then one more is produced
    await ahead.next();
    await settle();
    expect(state.produced).toBe(5);
    await ahead.return(undefined);
  });

  it('delivers the source error at its place, after the values before it', async () => {
    // given a source failing at its 3rd value, read 8 ahead
    const { source } = countingSource(10, 2);
    const ahead = readAhead(source, 8);
    // when read
    const out: number[] = [];
    const reading = (async () => {
      for await (const value of ahead) out.push(value);
    })();
    // then
    await expect(reading).rejects.toThrow('source failed at 2');
    expect(out).toEqual([0, 1]);
  });
});
