import type { ErrorCode } from '../../../../lib/contracts/records';

export interface RecordCounts {
  readonly ok: number;
  readonly failed: number;
}

/**
 * Why the shard must fail, or undefined while failed records stay within the budget (the
 * largest failed fraction of scored-or-failed records that is still quarantined, not fatal).
 */
export function errorBudgetViolation(
  counts: RecordCounts,
  errorsByCode: Readonly<Partial<Record<ErrorCode, number>>>,
  maxFailedFraction: number,
): string | undefined {
  const total = counts.ok + counts.failed;
  if (total === 0 || counts.failed / total <= maxFailedFraction) return undefined;
  const reasons = Object.entries(errorsByCode)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
  return (
    `${counts.failed} of ${total} records failed (${percent(counts.failed / total)}), ` +
    `above the error budget of ${percent(maxFailedFraction)} (--max-error-fraction); by code: ${reasons}`
  );
}
