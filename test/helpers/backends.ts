import { loadNative } from '../../container/src/backend/load-native';
import { WORKER_ENV } from '../../lib/contracts/job-contract';

export type TestBackend = 'wasm' | 'tfjs-node';

let cached: TestBackend[] | undefined;

/**
 * The backends the worker's suites run on: wasm always, tfjs-node when its build loads (the test
 * setup builds it on first use; .ci/run builds it up front, so CI runs both). When it cannot load,
 * the reason is printed rather than the native cases passing silently.
 */
export function backendsUnderTest(): TestBackend[] {
  if (cached !== undefined) return cached;
  const native = loadNative(['cpu']);
  if (!native.loaded) process.stderr.write(`tfjs-node cases not run: ${native.reason}\n`);
  cached = native.loaded ? ['tfjs-node', 'wasm'] : ['wasm'];
  return cached;
}

/** The worker's environment with its backend pinned, as a job definition pins it. */
export function onBackend(env: NodeJS.ProcessEnv, backend: TestBackend): NodeJS.ProcessEnv {
  return { ...env, [WORKER_ENV.backend]: backend };
}
