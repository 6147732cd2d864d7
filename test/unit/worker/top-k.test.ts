import { RecordError } from '../../../container/src/infer/errors';
import { topK } from '../../../container/src/infer/pipeline/top-k';

describe('topK', () => {
  it('returns the k highest scores with their labels, highest first', () => {
    // given four scores
    // when the top 2 are taken
    const top = topK(Float32Array.from([0.1, 0.5, 0.3, 0.1]), ['a', 'b', 'c', 'd'], 2);
    // then
    expect(top).toEqual([
      { label: 'b', score: 0.5 },
      { label: 'c', score: expect.closeTo(0.3, 6) },
    ]);
  });

  it('breaks ties by label order', () => {
    // given equal scores
    // when / then
    expect(topK([0.2, 0.2, 0.2], ['x', 'y', 'z'], 2).map((p) => p.label)).toEqual(['x', 'y']);
  });

  it('picks what a full sort picks, ties by label order, on scores with many repeats', () => {
    // given 200 seeded score vectors of 1,000 values drawn from 50 levels (many ties)
    let seed = 20;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed >> 8) % 50;
    };
    const labels = Array.from({ length: 1000 }, (_, i) => `l${i}`);
    for (let vector = 0; vector < 200; vector++) {
      const scores = Float32Array.from(labels, () => next() / 50);
      for (const k of [0, 1, 5, 1000]) {
        // when the top k are taken
        const top = topK(scores, labels, k);
        // then they are the first k of a stable sort, highest first
        const sorted = labels
          .map((label, i) => ({ label, score: scores[i], i }))
          .sort((a, b) => b.score - a.score || a.i - b.i)
          .slice(0, k)
          .map(({ label, score }) => ({ label, score }));
        expect(top).toEqual(sorted);
      }
    }
  });

  it('returns every label when k exceeds their number', () => {
    // given / when / then
    expect(topK([0.4, 0.6], ['a', 'b'], 5)).toHaveLength(2);
  });

  it('fails a non-finite score as INFERENCE_FAILED naming the label', () => {
    // given a NaN score
    // when
    const run = () => topK([0.5, NaN], ['a', 'b'], 1);
    // then
    expect(run).toThrow(RecordError);
    expect(run).toThrow("model returned a non-finite score for 'b'");
  });

  it('fails when the scores do not match the labels in number', () => {
    // given three scores for two labels
    // when / then
    expect(() => topK([1, 2, 3], ['a', 'b'], 1)).toThrow('model returned 3 scores for 2 labels');
  });
});
