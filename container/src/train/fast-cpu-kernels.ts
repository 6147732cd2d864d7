import * as tf from '@tensorflow/tfjs';

interface CpuBackend {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

type FastKernel = (args: {
  inputs: Record<string, tf.TensorInfo>;
  attrs: Record<string, unknown>;
  backend: CpuBackend;
}) => tf.TensorInfo | undefined;

const installed = new Set<string>();

/**
 * The stock tfjs cpu backend computes the gradients of conv2d and maxPool with a variadic
 * TensorBuffer.get() per element, which made them ~95% of a CNN training step (2 s for a
 * batch of 32 digits, measured with tf.profile). This registers flat typed-array loops for
 * the channels-last, undilated cases the layers API produces and delegates anything else to
 * the original kernels. Results are the same sums, accumulated in a different order.
 */
export function registerFastCpuKernels(): void {
  override(tf.Conv2DBackpropFilter, ({ inputs, attrs, backend }) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') return undefined;
    const info = tf.backend_util.computeConv2DInfo(
      inputs.x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const values = conv2dFilterGradient(
      backend.data.get(inputs.x.dataId).values,
      backend.data.get(inputs.dy.dataId).values,
      info,
    );
    return backend.makeTensorInfo(info.filterShape, 'float32', values);
  });
  override(tf.MaxPoolGrad, ({ inputs, attrs, backend }) => {
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      inputs.input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const values = maxPoolGradient(
      backend.data.get(inputs.input.dataId).values,
      backend.data.get(inputs.dy.dataId).values,
      info,
    );
    return backend.makeTensorInfo(inputs.input.shape, 'float32', values);
  });
}

function override(kernelName: string, fast: FastKernel): void {
  const original = tf.getKernel(kernelName, 'cpu');
  if (!original || installed.has(kernelName)) return;
  installed.add(kernelName);
  tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel({
    kernelName,
    backendName: 'cpu',
    kernelFunc: (args) =>
      fast(args as unknown as Parameters<FastKernel>[0]) ?? original.kernelFunc(args),
  });
}

/** dW[r][c][in][out] = sum over batch and output positions of x (at the r,c tap) * dy. */
export function conv2dFilterGradient(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dW = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyOffset = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xOffset = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wOffset = (wR * filterWidth + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xValue = x[xOffset + d1];
              if (xValue === 0) continue;
              const base = wOffset + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) {
                dW[base + d2] += xValue * dy[dyOffset + d2];
              }
            }
          }
        }
      }
    }
  }
  return dW;
}

/** Routes each pooled gradient to the first maximal input of its window, as the original does. */
export function maxPoolGradient(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = new Float32Array(x.length);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rMin = Math.max(0, yR * strideHeight - top);
      const rMax = Math.min(inHeight, yR * strideHeight - top + filterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const cMin = Math.max(0, yC * strideWidth - left);
        const cMax = Math.min(inWidth, yC * strideWidth - left + filterWidth);
        const dyOffset = ((b * outHeight + yR) * outWidth + yC) * inChannels;
        for (let d = 0; d < inChannels; d++) {
          let best = -1;
          let bestValue = Number.NEGATIVE_INFINITY;
          for (let r = rMin; r < rMax; r++) {
            for (let c = cMin; c < cMax; c++) {
              const index = ((b * inHeight + r) * inWidth + c) * inChannels + d;
              if (x[index] > bestValue) {
                bestValue = x[index];
                best = index;
              }
            }
          }
          if (best >= 0) dx[best] += dy[dyOffset + d];
        }
      }
    }
  }
  return dx;
}
