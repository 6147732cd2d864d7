import type { ModelMetrics } from '../../../lib/contracts/registry';

export interface PromotionDecision {
  readonly promote: boolean;
  readonly reason: string;
}

/**
 * A challenger replaces the champion only if its validation accuracy beats the champion's,
 * measured on the same held-out samples, by more than `margin` (absolute accuracy). With no
 * champion, any challenger with a finite accuracy on at least one sample is promoted.
 */
export function decidePromotion(
  challenger: ModelMetrics,
  champion: ModelMetrics | undefined,
  margin: number,
): PromotionDecision {
  if (challenger.validationSamples === 0 || !Number.isFinite(challenger.validationAccuracy)) {
    return { promote: false, reason: 'challenger has no validation accuracy' };
  }
  const challengerText = `challenger accuracy ${format(challenger.validationAccuracy)}`;
  if (!champion) {
    return {
      promote: true,
      reason: `first version: ${challengerText} on ${challenger.validationSamples} held-out samples`,
    };
  }
  const gain = challenger.validationAccuracy - champion.validationAccuracy;
  const comparison =
    `${challengerText} vs champion ${format(champion.validationAccuracy)} on the same ` +
    `${challenger.validationSamples} held-out samples (gain ${format(gain)}, margin ${format(margin)})`;
  return gain > margin
    ? { promote: true, reason: `beats the champion: ${comparison}` }
    : { promote: false, reason: `does not beat the champion: ${comparison}` };
}

function format(value: number): string {
  return value.toFixed(4);
}
