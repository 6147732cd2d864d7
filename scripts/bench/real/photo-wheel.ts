import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PEER_VENV } from '../compute/peer-runner';

const REPO = join(__dirname, '..', '..', '..');
const REQUIREMENTS = join(REPO, 'scripts', 'peer', 'requirements-photos.txt');
/** Downloads stay out of git (.tmp/ is ignored) and are reused by later runs. */
const CACHE = join(REPO, '.tmp', 'bench-real', 'wheels');

/**
 * scikit-image's wheel, whose skimage/data/ holds the sample photographs bench:real starts
 * from: downloaded once with the peer venv's pip, `--no-deps --require-hashes` against
 * scripts/peer/requirements-photos.txt (one platform's wheel, whatever the host), never
 * installed. Returns its path.
 */
export function photoWheel(log: (line: string) => void): string {
  const cached = () => readdirSync(CACHE).find((file) => file.startsWith('scikit_image-'));
  mkdirSync(CACHE, { recursive: true });
  const found = cached();
  if (found !== undefined) return join(CACHE, found);
  log(`downloading the scikit-image wheel pinned in ${REQUIREMENTS}`);
  const download = spawnSync(
    join(PEER_VENV, 'bin', 'python'),
    [
      ...['-m', 'pip', 'download', '--quiet', '--no-deps', '--require-hashes'],
      ...['--only-binary=:all:', '--platform', 'manylinux_2_17_x86_64'],
      ...['--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311'],
      ...['-r', REQUIREMENTS, '-d', CACHE],
    ],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const wheel = cached();
  if (download.status !== 0 || wheel === undefined) {
    throw new Error(`pip download -r ${REQUIREMENTS} failed: ${download.stderr.slice(-2000)}`);
  }
  return join(CACHE, wheel);
}
