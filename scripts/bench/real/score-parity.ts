import type { OursPrediction } from './ours-round';

export interface ScoreParity {
  readonly images: number;
  /** Largest |worker score - peer score| over every label the worker reported. */
  readonly maxAbsDiff: number;
  /** Images whose top-5 labels, in order, are the peer's top 5. */
  readonly top5Same: number;
  readonly top1Same: number;
}

export class ScoreParityError extends Error {
  override readonly name = 'ScoreParityError';
}

/** The label index of `class-NNNN`. */
const classIndex = (label: string): number => {
  const match = /^class-(\d+)$/.exec(label);
  if (match === null) throw new ScoreParityError(`unexpected label '${label}'`);
  return Number(match[1]);
};

/** Class indices of `scores` from the highest score down, the first `k`. */
function topIndices(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b] - scores[a])
    .slice(0, k);
}

/**
 * Compares the worker's top-k predictions for each photo with the peer's full score rows
 * (`peerScores`: photos x classes, in photo order; `keyIndex` maps an object key to its row).
 */
export function scoreParity(
  predictions: readonly OursPrediction[],
  keyIndex: ReadonlyMap<string, number>,
  peerScores: Float32Array,
  classes: number,
): ScoreParity {
  if (predictions.length !== keyIndex.size) {
    throw new ScoreParityError(`${predictions.length} predictions for ${keyIndex.size} photos`);
  }
  let maxAbsDiff = 0;
  let top5Same = 0;
  let top1Same = 0;
  for (const prediction of predictions) {
    const row = keyIndex.get(prediction.key);
    if (row === undefined) throw new ScoreParityError(`unexpected key '${prediction.key}'`);
    const peer = peerScores.subarray(row * classes, (row + 1) * classes);
    const ours = prediction.labels.map(classIndex);
    ours.forEach((index, i) => {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(prediction.scores[i] - peer[index]));
    });
    const theirs = topIndices(peer, ours.length);
    if (ours.every((index, i) => index === theirs[i])) top5Same++;
    if (ours[0] === theirs[0]) top1Same++;
  }
  return { images: predictions.length, maxAbsDiff, top5Same, top1Same };
}
