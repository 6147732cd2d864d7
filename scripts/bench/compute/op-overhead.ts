import * as tf from '@tensorflow/tfjs';
import { measure } from '../shared/measure-rate';

const OPS_PER_CALL = 200;

/**
 * Microseconds one tiny op (a 1-element add) costs on the active backend: what tfjs and the
 * backend spend per op beside the kernel's arithmetic (engine bookkeeping, and on tfjs-node the
 * N-API call into TensorFlow's eager runtime). A model call pays it once per op it runs, where a
 * `tf.function` graph in Python pays it once per call.
 */
export async function opOverheadMicroseconds(minSeconds: number): Promise<number> {
  const one = tf.scalar(1);
  try {
    const timing = await measure(async () => {
      let x: tf.Tensor = tf.scalar(0);
      for (let i = 0; i < OPS_PER_CALL; i++) {
        const next = tf.add(x, one);
        x.dispose();
        x = next;
      }
      await x.data();
      x.dispose();
    }, minSeconds);
    return (timing.medianSecondsPerCall / OPS_PER_CALL) * 1e6;
  } finally {
    one.dispose();
  }
}
