import { RECORDS_SCHEMA_VERSION, type ShardSummary } from '../../lib/contracts/records';
import { ShardSummaryError } from './errors';

/**
 * A shard summary as the worker writes it (lib/contracts/records.ts), checked against the
 * batch and shard it is stored under: a summary that does not add up is an error naming the
 * key, not a count the batch summary silently includes.
 */
export function parseShardSummary(
  text: string,
  key: string,
  expected: { readonly batchId: string; readonly shard: number },
): ShardSummary {
  let value: Partial<ShardSummary>;
  try {
    value = JSON.parse(text) as Partial<ShardSummary>;
  } catch (error) {
    throw new ShardSummaryError(`${key}: not JSON (${(error as Error).message})`);
  }
  const errors: string[] = [];
  if (value?.schemaVersion !== RECORDS_SCHEMA_VERSION) {
    errors.push(
      `schemaVersion: expected ${RECORDS_SCHEMA_VERSION}, got ${String(value?.schemaVersion)}`,
    );
  }
  if (value?.batchId !== expected.batchId) {
    errors.push(`batchId: expected ${expected.batchId}, got ${String(value?.batchId)}`);
  }
  if (value?.shard !== expected.shard) {
    errors.push(`shard: expected ${expected.shard}, got ${String(value?.shard)}`);
  }
  if (typeof value?.model?.version !== 'string') errors.push('model.version: expected a string');
  for (const field of ['ok', 'failed', 'skipped'] as const) {
    const n = value?.counts?.[field];
    if (!Number.isInteger(n) || (n as number) < 0) {
      errors.push(`counts.${field}: expected a count, got ${String(n)}`);
    }
  }
  if (typeof value?.errorsByCode !== 'object' || value.errorsByCode === null) {
    errors.push('errorsByCode: expected an object');
  }
  if (errors.length > 0) {
    throw new ShardSummaryError(`${key}: not a shard summary of this batch: ${errors.join('; ')}`);
  }
  return value as ShardSummary;
}
