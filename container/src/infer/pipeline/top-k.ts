import type { Prediction } from '../../../../lib/contracts/records';
import { RecordError } from '../errors';

/**
 * The k highest-scoring labels, highest first; ties keep the label order of the metadata.
 * One pass keeping the best k in order, not a sort of every label: the main thread does this
 * for every record between model calls, and sorting MobileNet's 1,000 scores cost 0.6 ms a
 * record there (npm run bench:real, profiled), against a few microseconds for k = 5.
 */
export function topK(
  scores: ArrayLike<number>,
  labels: readonly string[],
  k: number,
): Prediction[] {
  if (scores.length !== labels.length) {
    throw new RecordError(
      'INFERENCE_FAILED',
      `model returned ${scores.length} scores for ${labels.length} labels`,
    );
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new RecordError(
        'INFERENCE_FAILED',
        `model returned a non-finite score for '${labels[i]}'`,
      );
    }
  }
  const size = Math.min(Math.max(0, k), scores.length);
  const best: number[] = [];
  for (let i = 0; i < scores.length && size > 0; i++) {
    const score = scores[i];
    // A later label with an equal score stays behind the earlier one.
    if (best.length === size && !(score > scores[best[size - 1]])) continue;
    let at = best.length === size ? size - 1 : best.length;
    while (at > 0 && score > scores[best[at - 1]]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best.map((i) => ({ label: labels[i], score: scores[i] }));
}
