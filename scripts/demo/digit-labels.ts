import type { ResultRecord } from '../../lib/contracts/records';

/**
 * Held-out digits are uploaded as `<prefix>digits/<label>/<n>.png`, so the true label of a
 * result is in its source key; other names (the broken files) have none.
 */
export function trueLabelOf(key: string): string | undefined {
  return /(?:^|\/)digits\/(\d)\/\d+\.png$/.exec(key)?.[1];
}

export interface LabelAccuracy {
  readonly labelled: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Mistakes as `true->predicted` with their counts, most frequent first. */
  readonly confusions: readonly { readonly pair: string; readonly count: number }[];
}

/** Top-1 accuracy of the results that carry a true label in their key. */
export function labelAccuracy(results: readonly ResultRecord[]): LabelAccuracy {
  let labelled = 0;
  let correct = 0;
  const confusions = new Map<string, number>();
  for (const result of results) {
    const truth = trueLabelOf(result.source.key);
    if (truth === undefined) continue;
    labelled += 1;
    const predicted = result.predictions[0]?.label;
    if (predicted === truth) correct += 1;
    else {
      const pair = `${truth}->${predicted ?? 'none'}`;
      confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
    }
  }
  return {
    labelled,
    correct,
    accuracy: labelled === 0 ? 0 : correct / labelled,
    confusions: [...confusions]
      .map(([pair, count]) => ({ pair, count }))
      .sort((a, b) => b.count - a.count),
  };
}
