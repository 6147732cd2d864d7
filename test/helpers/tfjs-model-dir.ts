import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const SHARD = 'group1-shard1of1.bin';

/** model.json and weight bytes of a model directory, before they are written anywhere. */
export interface ModelDirFiles {
  modelJson: Record<string, unknown> & { weightsManifest: tf.io.WeightsManifestConfig };
  weights: Uint8Array;
}

/** The files tensorflowjs_converter would write for these artifacts: model.json plus one shard. */
export function converterFiles(artifacts: tf.io.ModelArtifacts): ModelDirFiles {
  const weightData = artifacts.weightData
    ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
    : new ArrayBuffer(0);
  return {
    modelJson: {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? 'test fixture',
      convertedBy: 'test fixture',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [SHARD], weights: artifacts.weightSpecs ?? [] }],
    },
    weights: new Uint8Array(weightData),
  };
}

/** A layers model's converter files, as `model.save` produces its artifacts. */
export async function layersModelFiles(model: tf.LayersModel): Promise<ModelDirFiles> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = { ...artifacts, format: 'layers-model' };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return converterFiles(saved!);
}

/** Writes the files into a fresh temporary folder (a shard left out when `weights` is null). */
export function writeModelDir(
  files: { modelJson: unknown; weights: Uint8Array | null },
  parent = tmpdir(),
): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'tfjs-model-'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(files.modelJson));
  if (files.weights !== null) writeFileSync(join(dir, SHARD), files.weights);
  return dir;
}
