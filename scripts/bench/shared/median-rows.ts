import type { ThroughputRow } from './our-throughput';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

export class MedianRowsError extends Error {
  override readonly name = 'MedianRowsError';
}

/**
 * Each batch size's median rate over rounds of the same measurement. Rounds alternate our side
 * and the peer's, so load on a shared machine that comes and goes falls on both; the median
 * keeps a round that other work slowed from deciding a ratio.
 */
export function medianRows(rounds: readonly (readonly ThroughputRow[])[]): ThroughputRow[] {
  if (rounds.length === 0) throw new MedianRowsError('medianRows: no rounds');
  return rounds[0].map(({ batchSize }) => {
    const rows = rounds.map((round) => {
      const row = round.find((r) => r.batchSize === batchSize);
      if (!row) throw new MedianRowsError(`medianRows: a round has no batch size ${batchSize}`);
      return row;
    });
    return {
      batchSize,
      computeImagesPerSecond: median(rows.map((r) => r.computeImagesPerSecond)),
      endToEndImagesPerSecond: median(rows.map((r) => r.endToEndImagesPerSecond)),
    };
  });
}

export { median };
