import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPeerScript } from '../compute/peer-runner';
import { photoWheel } from './photo-wheel';

/** What scripts/peer/real_model.py prints about the model it built and converted. */
export interface RealModelInfo {
  readonly tensorflowVersion: string;
  readonly kerasVersion: string;
  readonly tensorflowjsVersion: string;
  readonly parameters: number;
  readonly batchNormLayers: number;
  readonly calibrationPhotos: number;
  /** Distinct top-1 classes over the calibration photos: more than one, or scores ignore input. */
  readonly distinctTop1: number;
}

export interface RealInputs {
  readonly workdir: string;
  /** Photo file names in WORKDIR/photos/, in shard order. */
  readonly photos: readonly string[];
  readonly sources: readonly string[];
  readonly model: RealModelInfo;
  /** WORKDIR/tfjs/: the converted layers model a user would import. */
  readonly tfjsDir: string;
  /** WORKDIR/savedmodel/: the SavedModel Keras exported, imported without conversion. */
  readonly savedModelDir: string;
}

export const photoPath = (inputs: RealInputs, name: string) => join(inputs.workdir, 'photos', name);

export const photoBytes = (inputs: RealInputs, name: string): Buffer =>
  readFileSync(photoPath(inputs, name));

/**
 * The photos (from scikit-image's sample images, scripts/peer/real_photos.py) and the
 * MobileNetV2 calibrated on them and converted (scripts/peer/real_model.py), in `workdir`.
 */
export function prepareRealInputs(
  workdir: string,
  count: number,
  seed: number,
  log: (line: string) => void,
): RealInputs {
  const wheel = photoWheel(log);
  log(`making ${count} photos from ${wheel}`);
  const made = runPeerScript('real_photos.py', [
    wheel,
    join(workdir, 'photos'),
    ...['--count', String(count), '--seed', String(seed)],
  ]) as { photos: string[]; sources: string[] };
  writeFileSync(join(workdir, 'photos.json'), JSON.stringify(made.photos));
  log('building MobileNetV2 in tf-keras, setting its BatchNorm statistics, converting it');
  const model = runPeerScript('real_model.py', [
    workdir,
    join(workdir, 'photos'),
    ...['--calibration', String(Math.min(32, count))],
  ]) as RealModelInfo;
  if (model.distinctTop1 < 2) {
    throw new Error(
      `the calibrated MobileNetV2 gives one top-1 class to all ${model.calibrationPhotos} calibration photos: its scores do not depend on the input`,
    );
  }
  return {
    workdir,
    ...made,
    model,
    tfjsDir: join(workdir, 'tfjs'),
    savedModelDir: join(workdir, 'savedmodel'),
  };
}
