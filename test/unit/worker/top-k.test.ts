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
