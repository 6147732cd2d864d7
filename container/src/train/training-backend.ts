import type { BackendName } from '../backend/choose-backend';
import { selectBackend } from '../backend/select-backend';
import { registerFastCpuKernels } from './fast-cpu-kernels';

/**
 * The worker's backend choice for training (native bindings in the container, else cpu, or
 * TFJS_BACKEND), plus the fast gradient kernels when it lands on the pure-JS cpu backend.
 */
export async function prepareTrainingBackend(
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendName> {
  const backend = await selectBackend('train', log, env);
  if (backend === 'cpu') registerFastCpuKernels();
  return backend;
}
