import { MedianRowsError, medianRows } from '../../../scripts/bench/shared/median-rows';

const row = (batchSize: number, compute: number, endToEnd: number) => ({
  batchSize,
  computeImagesPerSecond: compute,
  endToEndImagesPerSecond: endToEnd,
});

describe('medianRows', () => {
  it('takes each batch size its median rate over the rounds, so one slowed round does not decide', () => {
    // given three rounds, the second slowed by other work
    const rounds = [
      [row(8, 100, 50), row(32, 400, 200)],
      [row(8, 10, 5), row(32, 40, 20)],
      [row(8, 120, 60), row(32, 380, 190)],
    ];
    // when their medians are taken
    // then each rate is the middle of its three
    expect(medianRows(rounds)).toEqual([row(8, 100, 50), row(32, 380, 190)]);
  });

  it('averages the two middle rounds of an even count', () => {
    // given two rounds
    // when their medians are taken
    // then each rate is the mean of the two
    expect(medianRows([[row(1, 10, 4)], [row(1, 20, 6)]])).toEqual([row(1, 15, 5)]);
  });

  it('names the batch size a round lacks', () => {
    // given a round without batch 32
    // when medians are taken
    // then the error names it
    expect(() => medianRows([[row(32, 1, 1)], [row(8, 1, 1)]])).toThrow(
      new MedianRowsError('medianRows: a round has no batch size 32'),
    );
  });
});
