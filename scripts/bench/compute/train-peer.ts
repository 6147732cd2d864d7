import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../../../container/src/train/sample';
import { float32Bytes, writePeerModel } from './peer-export';
import { PeerRunError, runPeerScript } from './peer-runner';

export interface TrainingPeerRequest {
  readonly batchSizes: readonly number[];
  readonly learningRate: number;
  readonly repeats: number;
  readonly inputShape: readonly number[];
  readonly classCount: number;
  /** Keras `jit_compile` settings to time: 'auto' is what `model.fit` does by default. */
  readonly jitCompile: readonly ('auto' | boolean)[];
}

export interface TrainingPeerRow {
  readonly jitCompile: string;
  /** What Keras made of the setting: 'auto' resolves to XLA when every layer supports it. */
  readonly resolvedJitCompile: boolean;
  readonly batchSize: number;
  readonly samplesPerSecond: number;
}

export interface TrainingPeerResult {
  readonly tensorflowVersion: string;
  readonly kerasVersion: string;
  readonly pythonVersion: string;
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly cpuCount: number;
  readonly rows: readonly TrainingPeerRow[];
}

/**
 * Writes what scripts/peer/keras_fit_peer.py needs to train the same model from the same start:
 * the layer list (dropout included), the initial weights in model order, and the same training
 * and validation digits with their labels.
 */
export async function exportTrainingWork(
  dir: string,
  model: tf.LayersModel,
  train: readonly Sample[],
  validation: readonly Sample[],
  request: TrainingPeerRequest,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await writePeerModel(dir, model);
  for (const [name, samples] of [
    ['train', train],
    ['validation', validation],
  ] as const) {
    writeFileSync(join(dir, `${name}.f32`), float32Bytes(samples.map((s) => s.x)));
    writeFileSync(
      join(dir, `${name}.labels`),
      Uint8Array.from(samples, (s) => s.label),
    );
  }
  writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
}

/** Runs the Keras peer on the exported work with these intra- and inter-op thread counts. */
export function runTrainingPeer(
  workdir: string,
  intraOpThreads: number,
  interOpThreads: number,
): TrainingPeerResult {
  const parsed = runPeerScript('keras_fit_peer.py', [
    workdir,
    '--intra',
    String(intraOpThreads),
    '--inter',
    String(interOpThreads),
  ]) as TrainingPeerResult;
  if (!Array.isArray(parsed.rows)) {
    throw new PeerRunError(
      `keras_fit_peer.py output lacks rows: ${JSON.stringify(parsed).slice(0, 500)}`,
    );
  }
  return parsed;
}
