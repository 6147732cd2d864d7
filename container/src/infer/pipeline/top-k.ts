import type { Prediction } from '../../../../lib/contracts/records';
import { RecordError } from '../errors';

/** The k highest-scoring labels, highest first; ties keep the label order of the metadata. */
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
  const indices = Array.from({ length: scores.length }, (_, i) => i);
  const bad = indices.find((i) => !Number.isFinite(scores[i]));
  if (bad !== undefined) {
    throw new RecordError(
      'INFERENCE_FAILED',
      `model returned a non-finite score for '${labels[bad]}'`,
    );
  }
  return indices
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, Math.max(0, k))
    .map((i) => ({ label: labels[i], score: scores[i] }));
}
