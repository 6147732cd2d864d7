import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePeerVenv, runPeerScript } from '../../scripts/bench/compute/peer-runner';

/** What scripts/peer/saved_model_fixtures.py writes: one SavedModel folder each. */
export const SAVED_MODEL_FIXTURES = [
  'plain',
  'read_file',
  'write_file',
  'nested_read',
  'two_inputs',
] as const;

export interface SavedModelFixtures {
  /** The folder holding one SavedModel folder per fixture. */
  readonly dir: string;
  readonly tensorflowVersion: string;
  /** TensorFlow's own scores of the plain classifier for `rows`. */
  readonly scores: number[][];
  readonly rows: number[][];
  /** The file the hostile fixtures would read or write if they ever ran. */
  readonly secretFile: string;
}

/**
 * SavedModels written by TensorFlow in the peer venv (tf.function + tf.saved_model.save, as a
 * user would): a 4-feature, 3-class classifier alone and with file ops in its graph (see the
 * script); created on first use (minutes the first time the venv is built).
 */
export function writeSavedModelFixtures(rows: number[][]): SavedModelFixtures {
  ensurePeerVenv((line) => process.stderr.write(`[saved-model-fixtures] ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'saved-models-'));
  const secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, 'not for models\n');
  writeFileSync(join(dir, 'request.json'), JSON.stringify({ rows, secretFile }));
  const output = runPeerScript('saved_model_fixtures.py', [dir]) as {
    tensorflowVersion: string;
    scores: number[][];
  };
  return { dir, rows, secretFile, ...output };
}
