import * as tf from '@tensorflow/tfjs';
import { measure } from '../shared/measure-rate';

export interface MatmulPeak {
  readonly backend: string;
  readonly size: number;
  readonly gflops: number;
}

/**
 * The backend's practical peak: GFLOP/s of the fastest n x n by n x n float32 matrix multiply
 * (2n^3 FLOPs), the best-optimised kernel any backend has. Switches the active backend.
 */
export async function matmulPeak(
  backend: string,
  size: number,
  minSeconds: number,
): Promise<MatmulPeak> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend}: cannot be activated`);
  await tf.ready();
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  try {
    const timing = await measure(async () => {
      const product = tf.matMul(a, b);
      await product.data();
      product.dispose();
    }, minSeconds);
    // A peak is the best the kernel does, so the fastest call counts, not the mean.
    return { backend, size, gflops: (2 * size ** 3) / timing.fastestSecondsPerCall / 1e9 };
  } finally {
    a.dispose();
    b.dispose();
  }
}
