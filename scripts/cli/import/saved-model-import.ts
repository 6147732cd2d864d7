import type { ModelMetadata, SavedModelSignature } from '../../../lib/contracts/registry';
import { checkedScorer } from '../../../container/src/model/load-scorer';
import {
  checkSavedModel,
  loadSavedModel,
  savedModelUnavailable,
} from '../../../container/src/model/saved-model/load-saved-model';
import { SAVED_MODEL_PB } from '../../../container/src/model/saved-model/saved-model-files';
import { DEFAULT_SAVED_MODEL_SIGNATURE } from '../../../container/src/model/saved-model/serving-signature';
import { ModelImportError } from './errors';
import type { ModelSource } from './model-source';

/** True when the directory's listing is a SavedModel's: it has saved_model.pb at its top. */
export const isSavedModel = (paths: readonly string[]) => paths.includes(SAVED_MODEL_PB);

/** The meta graph and signature to import: the signature the spec names, else serving_default. */
export function savedModelSignature(signature: string | undefined): SavedModelSignature {
  if (signature !== undefined && signature.trim() === '') {
    throw new ModelImportError('model metadata: signature: expected a signature name');
  }
  return { ...DEFAULT_SAVED_MODEL_SIGNATURE, ...(signature ? { signature } : {}) };
}

/** Every file the listing names, read from the source: all of them are the version's files. */
export async function readSavedModelFiles(
  source: ModelSource,
  paths: readonly string[],
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const path of paths) {
    const bytes = await source.read(path);
    if (bytes === undefined) {
      throw new ModelImportError(`${source.location}${path}: listed but unreadable`);
    }
    files.set(path, bytes);
  }
  return files;
}

/**
 * Checks a SavedModel as the worker will before it is registered: the C library is the backend
 * (else a refusal saying why), its graph holds no forbidden op, every file the graph needs is
 * there, the signature takes and returns what the metadata says, and it loads in the C library
 * and warms up with one record. Throws a ModelImportError naming what is wrong.
 */
export async function validateSavedModel(
  files: ReadonlyMap<string, Uint8Array>,
  metadata: ModelMetadata,
  where: string,
): Promise<void> {
  const unavailable = savedModelUnavailable();
  if (unavailable !== undefined) throw new ModelImportError(`${where}: ${unavailable}`);
  const spec = metadata.savedModel!;
  try {
    checkSavedModel(files, spec, metadata, where);
  } catch (error) {
    throw new ModelImportError((error as Error).message);
  }
  let loaded;
  try {
    loaded = await loadSavedModel(files, spec);
  } catch (error) {
    throw new ModelImportError(
      `${where}: the SavedModel does not load in the TensorFlow C library: ${(error as Error).message}`,
    );
  }
  try {
    (
      await checkedScorer(
        { predict: (input) => loaded.predict(input), dispose: () => loaded.dispose() },
        metadata,
      )
    ).dispose();
  } catch (error) {
    throw new ModelImportError(`${where}: ${(error as Error).message}`);
  }
}
