import * as tf from '@tensorflow/tfjs';
import { registerFastCpuKernels } from '../../../container/src/train/fast-cpu-kernels';

/** Filter and input gradients of conv2d -> relu -> maxPool for fixed random tensors. */
function gradients(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomUniform([3, 9, 9, 2], -1, 1, 'float32', 1);
    const filter = tf.randomUniform([3, 3, 2, 4], -1, 1, 'float32', 2);
    const loss = (input: tf.Tensor4D, kernel: tf.Tensor4D) =>
      tf.maxPool(tf.relu(tf.conv2d(input, kernel, 1, 'same')), 2, 2, 'valid').sum();
    const [dx, dFilter] = tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([x, filter]);
    return [dx.dataSync() as Float32Array, dFilter.dataSync() as Float32Array];
  });
}

describe('registerFastCpuKernels', () => {
  it('computes the same conv2d filter and max-pool gradients as the stock cpu kernels', async () => {
    // given gradients from the stock cpu backend
    await tf.setBackend('cpu');
    const [stockDx, stockDFilter] = gradients();

    // when the fast kernels replace them
    registerFastCpuKernels();
    const [fastDx, fastDFilter] = gradients();

    // then the results agree to float32 rounding
    expect(Array.from(fastDFilter).map((v, i) => Math.abs(v - stockDFilter[i]))).toEqual(
      Array.from(stockDFilter, () => expect.any(Number)),
    );
    expect(Math.max(...fastDFilter.map((v, i) => Math.abs(v - stockDFilter[i])))).toBeLessThan(
      1e-4,
    );
    expect(Math.max(...fastDx.map((v, i) => Math.abs(v - stockDx[i])))).toBeLessThan(1e-5);
    expect(fastDFilter.some((v) => v !== 0)).toBe(true);
  });
});
