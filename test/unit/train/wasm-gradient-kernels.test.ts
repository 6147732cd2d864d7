import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../../../container/src/train/wasm-gradient-kernels';

interface Case {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

const CASES: readonly Case[] = [
  {
    name: '3x3 same, stride 1',
    xShape: [3, 9, 9, 2],
    filterShape: [3, 3, 2, 4],
    stride: 1,
    pad: 'same',
  },
  {
    name: '5x5 same, stride 1',
    xShape: [2, 8, 7, 3],
    filterShape: [5, 5, 3, 2],
    stride: 1,
    pad: 'same',
  },
  {
    name: '3x3 valid, stride 1',
    xShape: [2, 7, 8, 1],
    filterShape: [3, 3, 1, 5],
    stride: 1,
    pad: 'valid',
  },
  // Strided: the input gradient falls back to the stock kernel, the filter gradient does not.
  {
    name: '3x3 same, stride 2',
    xShape: [2, 9, 9, 2],
    filterShape: [3, 3, 2, 3],
    stride: 2,
    pad: 'same',
  },
];

/** Input, filter and dense-weight gradients of conv2d -> relu -> maxPool -> dense -> sum. */
function gradients({ xShape, filterShape, stride, pad }: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomUniform(xShape, -1, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 2) as tf.Tensor4D;
    const features = (input: tf.Tensor4D, kernel: tf.Tensor4D) =>
      tf.maxPool(tf.relu(tf.conv2d(input, kernel, stride, pad)), 2, 2, 'same');
    const loss = (input: tf.Tensor4D, kernel: tf.Tensor4D, dense: tf.Tensor2D) => {
      const flat = features(input, kernel).reshape([xShape[0], -1]) as tf.Tensor2D;
      return tf.matMul(flat, dense).square().sum();
    };
    const flatSize = features(x, filter).size / xShape[0];
    const dense = tf.randomUniform([flatSize, 3], -1, 1, 'float32', 3);
    const grads = tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([x, filter, dense]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i])), 0);
}

describe('registerWasmGradientKernels', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('matches the cpu backend gradients: $name', async (testCase) => {
    // given gradients from the stock cpu backend
    await tf.setBackend('cpu');
    const expected = gradients(testCase);

    // when the same graph is differentiated on wasm with the gradient kernels
    await tf.setBackend('wasm');
    registerWasmGradientKernels();
    const actual = gradients(testCase);

    // then every gradient agrees to float32 rounding, and none is trivially zero
    expected.forEach((grad, i) => {
      expect(grad.some((v) => v !== 0)).toBe(true);
      const scale = grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(maxDifference(actual[i], grad) / scale).toBeLessThan(1e-5);
    });
  });

  it('trains a small CNN on wasm without leaking tensors', async () => {
    // given a conv/pool/dense model on the wasm backend
    await tf.setBackend('wasm');
    registerWasmGradientKernels();
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    // a task a CNN learns in a few steps: is the bright square in the top or the bottom half
    const xs = tf.tidy(() =>
      tf.concat([
        tf.pad(tf.ones([8, 3, 8, 1]), [
          [0, 0],
          [0, 5],
          [0, 0],
          [0, 0],
        ]),
        tf.pad(tf.ones([8, 3, 8, 1]), [
          [0, 0],
          [5, 0],
          [0, 0],
          [0, 0],
        ]),
      ]),
    );
    const ys = tf.oneHot(tf.tensor1d([...Array(8).fill(0), ...Array(8).fill(1)], 'int32'), 2);
    // (the first step creates Adam's slot variables)
    const losses = [(await model.trainOnBatch(xs, ys)) as number];
    const before = tf.memory().numTensors;

    // when it takes 29 more steps
    for (let step = 1; step < 30; step++) losses.push((await model.trainOnBatch(xs, ys)) as number);

    // then the loss falls and no tensor is left behind
    expect(losses[29]).toBeLessThan(losses[0] / 4);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
