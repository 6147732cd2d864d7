import type { PromotionEvent } from '../../../lib/contracts/registry';

/**
 * The version a rollback returns to: the champion that was replaced when the current champion
 * took over, i.e. `previousVersion` of the latest promote/rollback event naming it.
 */
export function rollbackTarget(
  history: readonly PromotionEvent[],
  currentVersion: string,
): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i];
    if (event.event !== 'reject' && event.version === currentVersion) {
      return event.previousVersion;
    }
  }
  return undefined;
}
