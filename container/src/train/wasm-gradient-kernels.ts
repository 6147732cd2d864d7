import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** The parts of the wasm backend a kernel needs to allocate outputs and read them in JS. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: unknown): boolean;
}

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  attrs: Record<string, unknown>;
  backend: WasmBackend;
}

type Kernel = (args: KernelArgs) => tf.TensorInfo;

/**
 * Lets the wasm backend train CNNs. tfjs-backend-wasm 4.x has the forward kernels and
 * Conv2DBackpropInput but no Conv2DBackpropFilter, and its Conv2DBackpropInput is a scalar
 * loop. Both gradients are rewritten onto the backend's fast kernels (XNNPACK conv, matmul):
 *
 * - filter gradient: dW = im2col(x)^T . dy as one plain BatchMatMul. The patch matrix is built
 *   already transposed because the wasm matmul is ~10x slower with transposeA.
 * - input gradient (stride 1, no dilation): dx = conv2d(dy, W rotated 180 degrees with in/out
 *   channels swapped), padded so dx has the input's size; other cases keep the stock kernel.
 *
 * Measured in docs/benchmarks.md (Training): the digits model trains at 140-160x the samples/s
 * of the pure-JS cpu backend's stock kernels.
 */
export function registerWasmGradientKernels(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) return;
  const matMul = kernel(tf.BatchMatMul);
  const conv2d = kernel(tf.Conv2D);
  const stockInputGradient = kernel(tf.Conv2DBackpropInput);
  const transpose = kernel(tf.Transpose);

  // Dense-layer weight gradients are x^T . dy; an explicit transpose first is far cheaper.
  replace(tf.BatchMatMul, (args) => {
    const { a, b } = args.inputs;
    if (!args.attrs.transposeA) return matMul(args);
    const rank = a.shape.length;
    const perm = [...a.shape.keys()].map((axis) =>
      axis < rank - 2 ? axis : axis === rank - 2 ? rank - 1 : rank - 2,
    );
    const aT = transpose({ inputs: { x: a }, attrs: { perm }, backend: args.backend });
    const product = matMul({
      inputs: { a: aT, b },
      attrs: { ...args.attrs, transposeA: false },
      backend: args.backend,
    });
    args.backend.disposeData(aT.dataId);
    return product;
  });

  register(tf.Conv2DBackpropFilter, ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs;
    const info = convInfo(x.shape, attrs.filterShape as number[], attrs);
    const patches = backend.makeOutput([1, patchSize(info), outputPositions(info)], 'float32');
    transposedPatches(backend.typedArrayFromHeap(x), info, backend.typedArrayFromHeap(patches));
    const dy3 = { ...dy, shape: [1, outputPositions(info), info.outChannels] };
    const product = matMul({
      inputs: { a: patches, b: dy3 },
      attrs: { transposeA: false, transposeB: false },
      backend,
    });
    backend.disposeData(patches.dataId);
    return { ...product, shape: [...info.filterShape] };
  });

  replace(tf.Conv2DBackpropInput, (args) => {
    const { dy, filter } = args.inputs;
    const { backend, attrs } = args;
    const info = convInfo(attrs.inputShape as number[], filter.shape, attrs);
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dataFormat !== 'channelsLast') {
      return stockInputGradient(args);
    }
    const flipped = backend.makeOutput(
      [info.filterHeight, info.filterWidth, info.outChannels, info.inChannels],
      'float32',
    );
    rotatedSwappedFilter(
      backend.typedArrayFromHeap(filter),
      info,
      backend.typedArrayFromHeap(flipped),
    );
    const { top, bottom, left, right } = info.padInfo;
    const dx = conv2d({
      inputs: { x: dy, filter: flipped },
      attrs: {
        strides: 1,
        dilations: 1,
        dataFormat: 'NHWC',
        pad: [
          [0, 0],
          [info.filterHeight - 1 - top, info.filterHeight - 1 - bottom],
          [info.filterWidth - 1 - left, info.filterWidth - 1 - right],
          [0, 0],
        ],
      },
      backend,
    });
    backend.disposeData(flipped.dataId);
    return dx;
  });
}

function kernel(name: string): Kernel {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm backend has no ${name} kernel to build gradients on`);
  return config.kernelFunc as unknown as Kernel;
}

function register(kernelName: string, kernelFunc: Kernel): void {
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  });
}

function replace(kernelName: string, kernelFunc: Kernel): void {
  tf.unregisterKernel(kernelName, 'wasm');
  register(kernelName, kernelFunc);
}

function convInfo(
  inputShape: readonly number[],
  filterShape: readonly number[],
  attrs: Record<string, unknown>,
): tf.backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as tf.Conv2DAttrs;
  return tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC'),
  );
}

function patchSize(info: tf.backend_util.Conv2DInfo): number {
  return info.filterHeight * info.filterWidth * info.inChannels;
}

function outputPositions(info: tf.backend_util.Conv2DInfo): number {
  return info.batchSize * info.outHeight * info.outWidth;
}

/**
 * patches[(r, c, d)][(b, y, x)] = the input value under filter tap (r, c), channel d, when the
 * filter sits at output position (b, y, x); 0 where the tap falls in the padding.
 */
export function transposedPatches(
  x: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  patches: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const positions = outputPositions(info);
  for (let r = 0; r < filterHeight; r++) {
    for (let c = 0; c < filterWidth; c++) {
      for (let d = 0; d < inChannels; d++) {
        const row = ((r * filterWidth + c) * inChannels + d) * positions;
        let column = 0;
        for (let b = 0; b < batchSize; b++) {
          for (let y = 0; y < outHeight; y++) {
            const inY = y * strideHeight + r - info.padInfo.top;
            const rowInside = inY >= 0 && inY < inHeight;
            for (let xo = 0; xo < outWidth; xo++, column++) {
              const inX = xo * strideWidth + c - info.padInfo.left;
              patches[row + column] =
                rowInside && inX >= 0 && inX < inWidth
                  ? x[((b * inHeight + inY) * inWidth + inX) * inChannels + d]
                  : 0;
            }
          }
        }
      }
    }
  }
}

/** out[r][c][o][i] = w[kh-1-r][kw-1-c][i][o]: the filter that maps output gradients back. */
export function rotatedSwappedFilter(
  w: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  out: Float32Array,
): void {
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  for (let r = 0; r < filterHeight; r++) {
    for (let c = 0; c < filterWidth; c++) {
      const from = ((filterHeight - 1 - r) * filterWidth + (filterWidth - 1 - c)) * inChannels;
      const to = (r * filterWidth + c) * outChannels;
      for (let i = 0; i < inChannels; i++) {
        for (let o = 0; o < outChannels; o++) {
          out[(to + o) * inChannels + i] = w[(from + i) * outChannels + o];
        }
      }
    }
  }
}
