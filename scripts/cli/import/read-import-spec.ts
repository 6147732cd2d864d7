import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ModelImportError } from './errors';
import { ImportSpec, specFromJson } from './import-spec';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelImportError(`${what} ${path}: ${(error as Error).message}`);
  }
}

/** A labels file: one label a line, in output order; blank lines are ignored. */
export async function readLabelsFile(path: string): Promise<string[]> {
  const labels = (await readText(path, 'labels file'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (labels.length === 0) throw new ModelImportError(`labels file ${path}: no labels in it`);
  return labels;
}

/** The ImportSpec of a metadata file; its `labelsFile` is read relative to the file. */
export async function readMetadataFile(path: string): Promise<ImportSpec> {
  const text = await readText(path, 'metadata file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelImportError(`metadata file ${path}: not JSON (${(error as Error).message})`);
  }
  const { labelsFile, ...rest } = (value ?? {}) as Record<string, unknown>;
  if (labelsFile === undefined) return specFromJson(value, `metadata file ${path}`);
  if (typeof labelsFile !== 'string' || 'labels' in rest) {
    throw new ModelImportError(
      `metadata file ${path}: labelsFile: expected a file name, and no labels beside it`,
    );
  }
  const spec = specFromJson(rest, `metadata file ${path}`);
  return { ...spec, labels: await readLabelsFile(resolve(dirname(path), labelsFile)) };
}
