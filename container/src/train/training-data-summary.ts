import { REGISTRY_SCHEMA_VERSION, TrainingDataEntry } from '../../../lib/contracts/registry';
import type { DataObject } from './data-objects';
import type { Sample } from './sample';

/** Counts samples per label as a stream passes, for the version's trainingData record. */
export async function* countLabels(
  samples: AsyncIterable<Sample>,
  labels: readonly string[],
  counts: Record<string, number>,
): AsyncGenerator<Sample> {
  for await (const sample of samples) {
    const label = labels[sample.label];
    counts[label] = (counts[label] ?? 0) + 1;
    yield sample;
  }
}

/** One line of the version's training-data.jsonl: what object was used, as listed. */
export function objectListEntry(object: DataObject): TrainingDataEntry {
  return {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    key: object.key,
    size: object.size,
    ...(object.etag ? { etag: object.etag } : {}),
    kind: object.kind,
    ...(object.kind === 'image' ? { label: object.label } : {}),
  };
}

/** Labels for a first model with none configured: the image label folders, sorted. */
export function folderLabels(objects: readonly DataObject[]): string[] {
  const labels = new Set<string>();
  for (const object of objects) if (object.kind === 'image') labels.add(object.label);
  return [...labels].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Shuffle-buffer capacity in samples: the configured size, cut to fit the memory cap. */
export function shuffleCapacity(
  shuffleBufferSize: number,
  memoryCapMb: number,
  floatsPerSample: number,
): number {
  // Per-sample overhead beyond the floats: the Sample object, its id string and the typed array header.
  const bytesPerSample = floatsPerSample * 4 + 256;
  return Math.max(
    1,
    Math.min(shuffleBufferSize, Math.floor((memoryCapMb * 2 ** 20) / bytesPerSample)),
  );
}
