import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { WORKER_ENV } from '../../../lib/contracts/job-contract';
import { BackendName, chooseBackend, Purpose } from './choose-backend';

const NATIVE_PACKAGES = ['tfjs-node-gpu', 'tfjs-node'] as const;

/**
 * Loads a native binding if it is installed. They are optional: only the container image has
 * tfjs-node-gpu, whose install downloads libtensorflow. Importing one registers its
 * 'tensorflow' backend with the shared @tensorflow/tfjs-core.
 */
async function tryLoadNative(name: (typeof NATIVE_PACKAGES)[number]): Promise<boolean> {
  const specifier = `@tensorflow/${name}`;
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * Chooses, activates and logs the TensorFlow.js backend for this process; returns its name.
 * The TFJS_BACKEND environment variable overrides the automatic choice.
 */
export async function selectBackend(
  purpose: Purpose,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendName> {
  const override = env[WORKER_ENV.backend];
  const installed = new Set<BackendName>();
  for (const name of NATIVE_PACKAGES) {
    // Only one native binding is ever loaded: both register the same 'tensorflow' backend.
    if ((override === undefined || override === '' || override === name) && installed.size === 0) {
      if (await tryLoadNative(name)) installed.add(name);
    }
  }
  const choice = chooseBackend(purpose, override, installed);
  const tfName =
    choice.name === 'tfjs-node-gpu' || choice.name === 'tfjs-node' ? 'tensorflow' : choice.name;
  if (!(await tf.setBackend(tfName))) {
    throw new Error(`backend ${choice.name}: tf.setBackend('${tfName}') failed`);
  }
  await tf.ready();
  log(`backend: ${choice.name} for ${purpose} (${choice.reason})`);
  return choice.name;
}
