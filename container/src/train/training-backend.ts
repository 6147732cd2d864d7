import type { BackendName } from '../backend/choose-backend';
import { selectBackend } from '../backend/select-backend';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';

/**
 * The worker's backend choice for training (native bindings in the container, else wasm, or
 * TFJS_BACKEND), plus the gradient kernels the wasm backend lacks.
 */
export async function prepareTrainingBackend(
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendName> {
  const backend = await selectBackend('train', log, env);
  if (backend === 'wasm') registerWasmGradientKernels();
  return backend;
}
