// Jest runs each test file in its own realm, so its Float32Array is not the process's. Native
// addons (tfjs-node) create typed arrays in the process's realm, and tfjs checks them with
// instanceof in the test's: "Unsupported TypedArray subtype: Float32Array" when a model is saved.
// A worker process has one realm; this environment gives the test realm the process's typed
// arrays so the suites see what production sees.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class ProcessRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = ProcessRealmEnvironment;
