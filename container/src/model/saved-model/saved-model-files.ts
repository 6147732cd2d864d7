/** The file a SavedModel directory is recognised by, and which holds its graphs. */
export const SAVED_MODEL_PB = 'saved_model.pb';
const VARIABLES_INDEX = 'variables/variables.index';
const DATA_SHARD = /^variables\/variables\.data-(\d{5})-of-(\d{5})$/;

/**
 * The files of a SavedModel directory that are missing, each named with why it is needed:
 * saved_model.pb, and when the graph has variables (a saver), variables/variables.index and every
 * data shard `variables.data-i-of-N` for i < N, N read from the shards present.
 */
export function missingSavedModelFiles(
  paths: ReadonlySet<string>,
  hasVariables: boolean,
): string[] {
  const missing = paths.has(SAVED_MODEL_PB) ? [] : [`${SAVED_MODEL_PB} (the graph)`];
  if (!hasVariables) return missing;
  if (!paths.has(VARIABLES_INDEX)) missing.push(`${VARIABLES_INDEX} (the graph has variables)`);
  const counts = new Set<number>();
  for (const path of paths) {
    const match = DATA_SHARD.exec(path);
    if (match) counts.add(Number(match[2]));
  }
  if (counts.size === 0) {
    missing.push('variables/variables.data-00000-of-NNNNN (the graph has variables)');
  }
  for (const count of counts) {
    for (let i = 0; i < count; i++) {
      const shard = `variables/variables.data-${String(i).padStart(5, '0')}-of-${String(count).padStart(5, '0')}`;
      if (!paths.has(shard)) missing.push(`${shard} (shard ${i + 1} of ${count})`);
    }
  }
  return missing;
}
