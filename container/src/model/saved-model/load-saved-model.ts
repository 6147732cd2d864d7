import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata, SavedModelSignature } from '../../../../lib/contracts/registry';
import { loadedNativeBinding } from '../../backend/load-native';
import { describeViolation, graphOpViolations } from './check-graph-ops';
import { missingSavedModelFiles, SAVED_MODEL_PB } from './saved-model-files';
import { readSavedModelGraph } from './saved-model-graph';
import { checkServingSignature } from './serving-signature';

/** A SavedModel signature loaded in the TensorFlow C library, as far as scoring uses it. */
export interface LoadedSavedModel {
  predict(input: tf.Tensor): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
  dispose(): void;
}

/** tf.node of the loaded native binding: what loadSavedModel needs of it. */
interface TfNode {
  loadSavedModel(path: string, tags: string[], signature: string): Promise<LoadedSavedModel>;
}

/**
 * Why a SavedModel cannot run in this process, or undefined when it can: it needs the
 * TensorFlow C library (tfjs-node or tfjs-node-gpu as the active backend).
 */
export function savedModelUnavailable(): string | undefined {
  if (tf.getBackend() === 'tensorflow' && loadedNativeBinding() !== undefined) return undefined;
  return `a TensorFlow SavedModel runs only through the TensorFlow C library (the tfjs-node or tfjs-node-gpu backend), and this process runs on the ${tf.getBackend()} backend (the start-up 'backend:' line says why the native binding is not in use); import a TensorFlow.js conversion of the model (tensorflowjs_converter) to score it on ${tf.getBackend()}`;
}

/**
 * Checks a SavedModel's files, already read and verified, as the worker and `gbi models import`
 * both require before TensorFlow sees them: every file its graph needs is there, no graph holds
 * a forbidden op (check-graph-ops.ts), and the signature takes and returns what the metadata
 * says. Throws an Error naming the file, op and node, or tensor at fault.
 */
export function checkSavedModel(
  files: ReadonlyMap<string, Uint8Array>,
  spec: SavedModelSignature,
  metadata: ModelMetadata,
  where: string,
): void {
  const pb = files.get(SAVED_MODEL_PB);
  if (pb === undefined) throw new Error(`${where}: no ${SAVED_MODEL_PB}`);
  const graph = readSavedModelGraph(pb, `${where}${SAVED_MODEL_PB}`);
  const violations = graphOpViolations(graph);
  if (violations.length > 0) {
    const shown = violations.slice(0, 5).map(describeViolation).join('; ');
    const more = violations.length > 5 ? `; and ${violations.length - 5} more` : '';
    throw new Error(
      `${where}${SAVED_MODEL_PB}: refused: a model must not reach outside its tensors, and its graph holds ${shown}${more}`,
    );
  }
  const meta = checkServingSignature(graph, spec, metadata, where);
  const missing = missingSavedModelFiles(new Set(files.keys()), meta.saver !== undefined);
  if (missing.length > 0) throw new Error(`${where}: missing ${missing.join(', ')}`);
}

/**
 * Loads a checked SavedModel's signature into the TensorFlow C library. TensorFlow reads a
 * SavedModel from a directory, so the files (already verified, in memory) are written to a new
 * private temporary directory, loaded (the variables are restored into the session then), and
 * the directory removed: nothing else can change them between the check and the load.
 */
export async function loadSavedModel(
  files: ReadonlyMap<string, Uint8Array>,
  spec: SavedModelSignature,
): Promise<LoadedSavedModel> {
  const unavailable = savedModelUnavailable();
  if (unavailable !== undefined) throw new Error(unavailable);
  const node = (loadedNativeBinding()!.module as { node: TfNode }).node;
  const dir = await mkdtemp(join(tmpdir(), 'gbi-saved-model-'));
  try {
    for (const [path, bytes] of files) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, bytes, { mode: 0o600 });
    }
    return await node.loadSavedModel(dir, [...spec.tags], spec.signature);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
