import { scoreWithBisection } from '../../../container/src/infer/pipeline/bisect-score';

/** A model call that fails whenever the batch holds a poisoned record, as a real one can. */
function scorerFailingOn(poisoned: ReadonlySet<number>) {
  const calls: number[][] = [];
  const score = async (batch: readonly number[]) => {
    calls.push([...batch]);
    const bad = batch.find((value) => poisoned.has(value));
    if (bad !== undefined) throw new Error(`record ${bad} broke the batch`);
    return batch.map((value) => Float32Array.of(value));
  };
  return { score, calls };
}

describe('scoreWithBisection', () => {
  it('scores a healthy batch in one call', async () => {
    // given a scorer that never fails
    const { score, calls } = scorerFailingOn(new Set());
    // when 8 records are scored
    const outcome = await scoreWithBisection([0, 1, 2, 3, 4, 5, 6, 7], score);
    // then one call scored all
    expect(calls).toHaveLength(1);
    expect(outcome.scored.map((s) => s.sample)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('isolates the one bad record of a failing batch and scores all others', async () => {
    // given record 5 breaks any batch holding it
    const { score } = scorerFailingOn(new Set([5]));
    // when 8 records are scored
    const outcome = await scoreWithBisection([0, 1, 2, 3, 4, 5, 6, 7], score);
    // then only record 5 failed, with the model's reason, and the rest keep their order
    expect(outcome.failed).toEqual([{ sample: 5, reason: 'record 5 broke the batch' }]);
    expect(outcome.scored.map((s) => s.sample)).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it('needs about 2 log2(n) extra calls for one bad record', async () => {
    // given one bad record in 256
    const { score, calls } = scorerFailingOn(new Set([200]));
    // when scored
    await scoreWithBisection(
      Array.from({ length: 256 }, (_, i) => i),
      score,
    );
    // then 1 + 2 * 8 calls were made
    expect(calls).toHaveLength(17);
  });

  it('isolates several bad records', async () => {
    // given records 0 and 6 are bad
    const { score } = scorerFailingOn(new Set([0, 6]));
    // when 7 records are scored
    const outcome = await scoreWithBisection([0, 1, 2, 3, 4, 5, 6], score);
    // then exactly those two failed
    expect(outcome.failed.map((f) => f.sample)).toEqual([0, 6]);
    expect(outcome.scored).toHaveLength(5);
  });
});
