import * as tf from '@tensorflow/tfjs';
import type { Scorer } from '../../../container/src/model/load-scorer';

export interface KernelShare {
  readonly kernel: string;
  readonly milliseconds: number;
  readonly share: number;
}

export interface KernelProfile {
  readonly batchSize: number;
  readonly wallMilliseconds: number;
  /** Kernel time by kernel name, largest first; what is left of the wall time is overhead. */
  readonly kernels: readonly KernelShare[];
  /** Wall time not spent in any kernel: tensor creation, dispatch, JS glue, reading scores. */
  readonly overheadShare: number;
  /** Kernels the call ran: each is one dispatch (on tfjs-node one N-API call into TensorFlow). */
  readonly opCount: number;
}

/**
 * Where one model call's time goes, by kernel, using tf.profile (which times each kernel on
 * the active backend). Kernel times of the same name are summed.
 */
export async function profileScore(
  scorer: Scorer,
  batch: readonly Float32Array[],
): Promise<KernelProfile> {
  await scorer.score(batch);
  const began = performance.now();
  const info = await tf.profile(async () => {
    await scorer.score(batch);
  });
  const wallMilliseconds = performance.now() - began;
  const byKernel = new Map<string, number>();
  // Entries named `<op>__op` wrap the kernels listed after them: counting both would double.
  const kernels = info.kernels.filter((k) => !k.name.endsWith('__op'));
  for (const kernel of kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + ms);
  }
  const kernelTotal = [...byKernel.values()].reduce((a, b) => a + b, 0);
  return {
    batchSize: batch.length,
    wallMilliseconds,
    kernels: [...byKernel.entries()]
      .map(([kernel, milliseconds]) => ({
        kernel,
        milliseconds,
        share: milliseconds / wallMilliseconds,
      }))
      .sort((a, b) => b.milliseconds - a.milliseconds),
    overheadShare: Math.max(0, 1 - kernelTotal / wallMilliseconds),
    opCount: kernels.length,
  };
}
