import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePeerVenv, PEER_VENV, runPeerScript } from '../../scripts/bench/compute/peer-runner';

const REQUIREMENTS = join(__dirname, '..', '..', 'scripts', 'peer', 'requirements-convert.txt');
const PYTHON = join(PEER_VENV, 'bin', 'python');

/** What scripts/peer/keras_import_peer.py prints. */
export interface KerasPeerOutput {
  readonly tensorflowVersion: string;
  readonly kerasVersion: string;
  readonly tensorflowjsVersion: string;
  /** Keras's softmax scores for each requested image, in request order. */
  readonly scores: number[][];
}

/**
 * The benchmark peer venv (.venv-peer, pinned tensorflow-cpu) with the pinned Keras-to-TensorFlow.js
 * converter added (scripts/peer/requirements-convert.txt, --no-deps --require-hashes), each
 * installed only when missing: the first run downloads TensorFlow (minutes), later ones reuse it.
 */
export function ensureKerasConverter(log: (line: string) => void): void {
  ensurePeerVenv(log);
  const check = spawnSync(
    PYTHON,
    ['-c', 'import tf_keras, importlib.util as u; assert u.find_spec("tensorflowjs")'],
    {
      stdio: 'ignore',
    },
  );
  if (check.status === 0) return;
  log(`installing ${REQUIREMENTS} into ${PEER_VENV}`);
  const install = spawnSync(
    PYTHON,
    ['-m', 'pip', 'install', '--quiet', '--no-deps', '--require-hashes', '-r', REQUIREMENTS],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (install.status !== 0) {
    throw new Error(`pip install -r ${REQUIREMENTS} failed: ${install.stderr.slice(-2000)}`);
  }
}

/** Runs the Keras side on WORKDIR/request.json: builds, converts and scores (see the script). */
export function runKerasPeer(workdir: string): KerasPeerOutput {
  return runPeerScript('keras_import_peer.py', [workdir]) as KerasPeerOutput;
}
