export interface BisectOutcome<T> {
  readonly scored: { readonly sample: T; readonly scores: Float32Array }[];
  readonly failed: { readonly sample: T; readonly reason: string }[];
}

/**
 * Scores a mini-batch; when the batch fails as a whole, scores each half again, down to the
 * single records that fail on their own, so one bad record costs only itself (about 2 log2(n)
 * extra calls). Results keep the input order.
 */
export async function scoreWithBisection<T>(
  samples: readonly T[],
  score: (batch: readonly T[]) => Promise<Float32Array[]>,
): Promise<BisectOutcome<T>> {
  const outcome: BisectOutcome<T> = { scored: [], failed: [] };
  const visit = async (batch: readonly T[]): Promise<void> => {
    if (batch.length === 0) return;
    try {
      const scores = await score(batch);
      batch.forEach((sample, i) => outcome.scored.push({ sample, scores: scores[i] }));
    } catch (error) {
      if (batch.length === 1) {
        outcome.failed.push({ sample: batch[0], reason: (error as Error).message });
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await visit(batch.slice(0, middle));
      await visit(batch.slice(middle));
    }
  };
  await visit(samples);
  return outcome;
}
