import {
  failureStands,
  rebuildReason,
  runningNode,
  type RunningNode,
} from '../../../container/native/build-reuse';
import type { NativeStatus } from '../../../container/native/native-location';

const inputs = { tfjsVersion: '4.22.0', pins: 'tensorflow-cpu==2.21.0 --hash=sha256:ab' };
const node24: RunningNode = { version: 'v24.22.3', napiVersion: 10 };

/** A successful build made on Node 20 for Node-API 8, as node-pre-gyp builds tfjs-node. */
const builtOnNode20: NativeStatus = {
  variant: 'cpu',
  ok: true,
  ...inputs,
  tensorflowVersion: '2.21.0',
  nodeVersion: 'v20.20.2',
  napiVersion: 8,
  builtAt: '2026-12-07T16:50:10.049Z',
};

describe('whether a recorded native build is reused', () => {
  it('reuses a Node-API build made on an older Node.js major', () => {
    // given a Node-API 8 build from Node 20, when Node 24 (Node-API 10) asks for the same inputs
    // then it is reused: Node-API is ABI-stable across majors
    expect(rebuildReason(builtOnNode20, inputs, node24)).toBeUndefined();
  });

  it('rebuilds when the running Node.js lacks the Node-API version the build targets', () => {
    // given a build for Node-API 10, when a Node.js implementing only 9 asks
    const status = { ...builtOnNode20, napiVersion: 10, nodeVersion: 'v24.22.3' };
    const reason = rebuildReason(status, inputs, { version: 'v20.20.2', napiVersion: 9 });

    // then it is rebuilt, the reason naming both versions
    expect(reason).toBe(
      'built for Node-API 10 (on Node.js v24.22.3), Node.js v20.20.2 implements Node-API 9',
    );
  });

  it('rebuilds a record that predates the Node-API version', () => {
    // given a record written before nodeVersion and napiVersion were kept
    const legacy = { ...builtOnNode20, napiVersion: undefined, nodeVersion: undefined };

    // then it is rebuilt, since nothing says which Node-API the addon needs
    expect(rebuildReason(legacy, inputs, node24)).toBe('no Node-API version on record');
  });

  it('rebuilds when the inputs changed or nothing usable is on record', () => {
    // given each way a record can fail to match, then each names its reason
    expect(rebuildReason(undefined, inputs, node24)).toBe('no build on record');
    expect(rebuildReason({ ...builtOnNode20, tfjsVersion: '4.21.0' }, inputs, node24)).toBe(
      'built for @tensorflow/tfjs 4.21.0, the project has 4.22.0',
    );
    expect(
      rebuildReason({ ...builtOnNode20, pins: 'tensorflow-cpu==2.20.0' }, inputs, node24),
    ).toBe('built from other wheel pins');
    const failed: NativeStatus = {
      ...inputs,
      variant: 'cpu',
      ok: false,
      reason: 'no g++',
      builtAt: '',
    };
    expect(rebuildReason(failed, inputs, node24)).toBe('the last attempt failed: no g++');
  });

  it('describes the Node.js running this test', () => {
    // when read from the process, then the version and Node-API version are the process's own
    expect(runningNode()).toEqual({
      version: process.version,
      napiVersion: Number(process.versions.napi),
    });
    expect(runningNode().napiVersion).toBeGreaterThanOrEqual(8);
  });
});

describe('whether a recorded failure is retried', () => {
  const failedOnNode20: NativeStatus = {
    ...inputs,
    variant: 'cpu',
    ok: false,
    reason: 'missing prerequisites: Node.js headers (/usr/include/node/node_api.h)',
    nodeVersion: 'v20.20.2',
    builtAt: '',
  };

  it('stands on the Node.js that failed', () => {
    expect(failureStands(failedOnNode20, { version: 'v20.20.2', napiVersion: 9 })).toBe(true);
  });

  it('is retried on another Node.js, or when the record does not say which one failed', () => {
    // given the same failure, when another Node.js (with its own headers) runs the first-use step
    expect(failureStands(failedOnNode20, node24)).toBe(false);
    const legacy = { ...failedOnNode20, nodeVersion: undefined };
    expect(failureStands(legacy, node24)).toBe(false);
  });

  it('never holds for a successful build', () => {
    expect(failureStands(builtOnNode20, { version: 'v20.20.2', napiVersion: 9 })).toBe(false);
  });
});
