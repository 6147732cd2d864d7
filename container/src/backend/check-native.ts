import * as tf from '@tensorflow/tfjs';
import { NATIVE_PACKAGE, NATIVE_VARIANTS, NativeVariant } from '../../native/native-location';
import { loadNative } from './load-native';

/**
 * `check-native [--variant cpu|gpu]`: exits 0 when a native binding loads and computes, 1 naming
 * why not. The image build runs it in the runtime stage, so an image whose binding cannot load is
 * never pushed; setup:native runs it on each build. Without a GPU driver (a build host)
 * tfjs-node-gpu loads and runs on the CPU; that is reported.
 */
export async function checkNative(
  argv: readonly string[],
  log: (line: string) => void,
): Promise<number> {
  const variant = argv[0] === '--variant' ? argv[1] : undefined;
  if (argv.length > 0 && !NATIVE_VARIANTS.includes(variant as NativeVariant)) {
    log(`check-native: expected [--variant cpu|gpu], got '${argv.join(' ')}'`);
    return 2;
  }
  const native = loadNative(variant ? [variant as NativeVariant] : ['gpu', 'cpu']);
  if (!native.loaded) {
    log(`check-native: no native binding loads: ${native.reason}`);
    return 1;
  }
  await tf.setBackend('tensorflow');
  const sum = tf.tidy(() => tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).arraySync() as number[]);
  if (sum.join() !== '4,6') {
    log(`check-native: [1,2] + [3,4] gave [${sum.join()}]`);
    return 1;
  }
  const version = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding
    .TF_Version;
  log(
    `check-native: ${NATIVE_PACKAGE[native.variant]} on TensorFlow ${version}, ` +
      (native.usingGpu ? 'GPU device in use' : 'no GPU device (CPU kernels)'),
  );
  return 0;
}
