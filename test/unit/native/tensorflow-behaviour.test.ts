import * as tf from '@tensorflow/tfjs';
import { backendsUnderTest } from '../../helpers/backends';

/**
 * What the worker relies on from the TensorFlow 2.21 C library under tfjs-node 4.22 (built for
 * 2.9.1), checked against tfjs's JavaScript cpu backend: the ops the default models, the
 * scorer (argMax, softmax) and evaluation (sum, log, mul, neg, argMax) run. And one known
 * change the worker must keep away from: int32 round.
 */
const native = backendsUnderTest().includes('tfjs-node');

/** Runs `op` on the given backend on seeded inputs and returns its values. */
async function on(backend: string, op: () => tf.Tensor): Promise<Float32Array | Int32Array> {
  await tf.setBackend(backend);
  return tf.tidy(op).data() as Promise<Float32Array | Int32Array>;
}

const input = () => tf.randomUniform([4, 12, 12, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
const OPS: Record<string, () => tf.Tensor> = {
  conv2d: () => tf.conv2d(input(), tf.randomUniform([5, 5, 3, 8], -1, 1, 'float32', 6), 1, 'same'),
  maxPool: () => tf.maxPool(input(), 2, 2, 'valid'),
  'matMul + relu': () =>
    tf.relu(
      tf.matMul(
        tf.randomUniform([8, 64], -1, 1, 'float32', 7),
        tf.randomUniform([64, 10], -1, 1, 'float32', 8),
      ),
    ),
  softmax: () => tf.softmax(tf.randomUniform([8, 10], -4, 4, 'float32', 9)),
  argMax: () => tf.argMax(tf.randomUniform([8, 10], 0, 1, 'float32', 10), 1),
  'sum(log * neg)': () =>
    tf.sum(tf.mul(tf.neg(tf.log(tf.randomUniform([8, 10], 0.01, 1, 'float32', 11))), 2), 1),
};

(native ? describe : describe.skip)('TensorFlow 2.21 under tfjs-node', () => {
  it.each(Object.keys(OPS))('computes %s as the cpu reference does, within 1e-5', async (name) => {
    // given the op on seeded inputs / when run on both backends
    const here = await on('tensorflow', OPS[name]);
    const reference = await on('cpu', OPS[name]);

    // then every value agrees within 1e-5
    expect(here.length).toBe(reference.length);
    here.forEach((v, i) => expect(Math.abs(v - reference[i])).toBeLessThan(1e-5));
  });

  it('returns zeros for round on int32, which the worker therefore never calls', async () => {
    // given an int32 tensor / when rounded on tfjs-node
    const rounded = await on('tensorflow', () => tf.round(tf.tensor1d([1, 2, 3], 'int32')));

    // then TensorFlow 2.21 gives zeros (tfjs's cpu backend gives the values back); if this starts
    // failing, TensorFlow fixed it and docs/container.md should say so
    expect(Array.from(rounded)).toEqual([0, 0, 0]);
  });
});
