import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ThroughputRow } from '../shared/our-throughput';

export class PeerRunError extends Error {
  override readonly name = 'PeerRunError';
}

export interface PeerResult {
  readonly tensorflowVersion: string;
  readonly pythonVersion: string;
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly cpuCount: number;
  /** Largest difference between the peer's scores and ours on the same inputs. */
  readonly maxAbsDiff: number;
  readonly rows: readonly ThroughputRow[];
  readonly matmulGflops: number;
}

const REPO = join(__dirname, '..', '..', '..');
export const PEER_VENV = join(REPO, '.venv-peer');
const PEER_PYTHON = join(PEER_VENV, 'bin', 'python');
const REQUIREMENTS = join(REPO, 'scripts', 'peer', 'requirements.txt');
const PEER_SCRIPT = join(REPO, 'scripts', 'peer', 'tf_peer.py');

/** Runs one of scripts/peer/*.py in the peer venv and returns the JSON object it printed. */
export function runPeerScript(script: string, args: readonly string[]): unknown {
  const stdout = run(PEER_PYTHON, [join(REPO, 'scripts', 'peer', script), ...args], script);
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    throw new PeerRunError(`${script} printed no JSON: ${stdout.slice(0, 500)}`);
  }
}

function run(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, {
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    throw new PeerRunError(
      `${what} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr?.slice(-2000)}`,
    );
  }
  return result.stdout;
}

/**
 * Creates .venv-peer with the pinned tensorflow-cpu from PyPI unless it already imports.
 * Takes minutes the first time (about 250 MB of wheels).
 */
export function ensurePeerVenv(
  log: (line: string) => void,
  python = process.env.PYTHON ?? 'python3',
): void {
  if (existsSync(PEER_PYTHON)) {
    const check = spawnSync(PEER_PYTHON, ['-c', 'import tensorflow'], { stdio: 'ignore' });
    if (check.status === 0) return;
  }
  log(`creating ${PEER_VENV} and installing ${REQUIREMENTS} (minutes the first time)`);
  run(python, ['-m', 'venv', PEER_VENV], 'python3 -m venv');
  run(PEER_PYTHON, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], 'pip install');
}

/** Runs the peer on the exported work with these intra- and inter-op thread counts. */
export function runPeer(
  workdir: string,
  intraOpThreads: number,
  interOpThreads: number,
): PeerResult {
  const stdout = run(
    PEER_PYTHON,
    [PEER_SCRIPT, workdir, '--intra', String(intraOpThreads), '--inter', String(interOpThreads)],
    'tf_peer.py',
  );
  let parsed: PeerResult;
  try {
    parsed = JSON.parse(stdout) as PeerResult;
  } catch {
    throw new PeerRunError(`tf_peer.py printed no JSON: ${stdout.slice(0, 500)}`);
  }
  if (!Array.isArray(parsed.rows) || typeof parsed.maxAbsDiff !== 'number') {
    throw new PeerRunError(`tf_peer.py output lacks rows or maxAbsDiff: ${stdout.slice(0, 500)}`);
  }
  return parsed;
}
