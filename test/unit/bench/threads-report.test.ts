import { fastestSetting, summariseThreads } from '../../../scripts/bench/compute/threads-report';
import type { ProbeResult } from '../../../scripts/bench/compute/threads-probe';

const probe = (intra: number, inter: number, compute: number, train: number): ProbeResult => ({
  intraOpThreads: intra,
  interOpThreads: inter,
  rows: [{ batchSize: 32, computeImagesPerSecond: compute, endToEndImagesPerSecond: compute / 2 }],
  trainSamplesPerSecond: train,
});

describe('summariseThreads', () => {
  it('gives each setting the median of its rounds, in the order the settings first ran', () => {
    // given three rounds of two settings
    const results = [
      probe(1, 1, 100, 10),
      probe(2, 1, 300, 30),
      probe(1, 1, 50, 5),
      probe(2, 1, 310, 31),
      probe(1, 1, 110, 11),
      probe(2, 1, 10, 1),
    ];
    // when summarised
    const [one, two] = summariseThreads(results);
    // then each cell is the middle value of its three rounds
    expect([
      one.intraOpThreads,
      one.rounds,
      one.rows[0].compute,
      one.trainSamplesPerSecond,
    ]).toEqual([1, 3, 100, 10]);
    expect([two.intraOpThreads, two.rows[0].compute, two.rows[0].endToEnd]).toEqual([2, 300, 150]);
  });
});

describe('fastestSetting', () => {
  it('weighs compute and training alike, not by their absolute sizes', () => {
    // given one setting 10% faster at compute (thousands of img/s) and another twice as fast at
    // training (tens of samples/s)
    const summaries = summariseThreads([probe(2, 1, 1100, 10), probe(1, 1, 1000, 20)]);
    // when the fastest is chosen
    const chosen = fastestSetting(summaries);
    // then the one with the larger relative lead wins
    expect([chosen.intraOpThreads, chosen.interOpThreads]).toEqual([1, 1]);
  });
});
