import {
  ChampionPointer,
  metadataProblems,
  ModelMetadata,
  PromotionEvent,
  REGISTRY_SCHEMA_VERSION,
} from '../../../lib/contracts/registry';
import { RegistryDataError } from './errors';

/**
 * Checks a registry JSON object against the contract before anyone relies on it, naming the
 * object and field that is wrong.
 */
function checkRecord(value: unknown, where: string, stringFields: readonly string[]): void {
  if (typeof value !== 'object' || value === null) {
    throw new RegistryDataError(`${where}: expected a JSON object`);
  }
  const record = value as Record<string, unknown>;
  if (record.schemaVersion !== REGISTRY_SCHEMA_VERSION) {
    throw new RegistryDataError(
      `${where}: schemaVersion ${JSON.stringify(record.schemaVersion)}, expected ${REGISTRY_SCHEMA_VERSION}`,
    );
  }
  for (const field of stringFields) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new RegistryDataError(`${where}: field '${field}' must be a non-empty string`);
    }
  }
}

export function asMetadata(value: unknown, where: string): ModelMetadata {
  const problems = metadataProblems(value);
  if (problems.length > 0) {
    throw new RegistryDataError(`${where}: invalid model metadata: ${problems.join('; ')}`);
  }
  return value as ModelMetadata;
}

export function asChampion(value: unknown, where: string): ChampionPointer {
  checkRecord(value, where, ['name', 'version', 'updatedAt']);
  return value as ChampionPointer;
}

export function asEvent(value: unknown, where: string): PromotionEvent {
  checkRecord(value, where, ['name', 'event', 'version', 'at', 'reason']);
  return value as PromotionEvent;
}
