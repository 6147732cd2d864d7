import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { WORKER_ENV } from '../../../lib/contracts/job-contract';
import { NATIVE_PACKAGE, NATIVE_VARIANTS } from '../../native/native-location';
import { BackendName, chooseBackend, Purpose } from './choose-backend';
import { loadNative } from './load-native';
import { nativeThreadEnv } from './native-threads';

/**
 * Chooses, activates and logs the TensorFlow.js backend for this process; returns its name.
 * The TFJS_BACKEND environment variable overrides the automatic choice. Only one native binding
 * is ever loaded: both register the same 'tensorflow' backend.
 */
export async function selectBackend(
  purpose: Purpose,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendName> {
  const override = env[WORKER_ENV.backend];
  // Unset: the GPU binding first, then the CPU one; else only the one the override names.
  const variants =
    override === undefined || override === ''
      ? (['gpu', 'cpu'] as const)
      : NATIVE_VARIANTS.filter((variant) => NATIVE_PACKAGE[variant] === override);
  // TensorFlow reads its thread counts and log level from the environment when the binding
  // creates its context, so they are set before the first load.
  for (const [name, value] of Object.entries(nativeThreadEnv(env))) process.env[name] ??= value;
  const native = variants.length > 0 ? loadNative(variants, env) : undefined;
  const installed = new Set<BackendName>(native?.loaded ? [NATIVE_PACKAGE[native.variant]] : []);
  const choice = chooseBackend(
    purpose,
    override,
    installed,
    native?.loaded === false ? native.reason : undefined,
  );
  if (
    choice.name === 'tfjs-node-gpu' &&
    native?.loaded &&
    !native.usingGpu &&
    override === choice.name
  ) {
    // The GPU job definitions pin tfjs-node-gpu: a binding that loads but sees no GPU (driver
    // or CUDA libraries missing) would otherwise score on the instance's CPU, slowly and billed.
    throw new Error('TFJS_BACKEND: tfjs-node-gpu loaded but TensorFlow found no GPU device');
  }
  const tfName =
    choice.name === 'tfjs-node-gpu' || choice.name === 'tfjs-node' ? 'tensorflow' : choice.name;
  if (!(await tf.setBackend(tfName))) {
    throw new Error(`backend ${choice.name}: tf.setBackend('${tfName}') failed`);
  }
  await tf.ready();
  log(`backend: ${choice.name} for ${purpose} (${choice.reason})`);
  return choice.name;
}
