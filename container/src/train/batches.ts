import * as tf from '@tensorflow/tfjs';
import type { Sample } from './sample';

/** Groups a sample stream into mini-batches of `size` (the last one may be smaller). */
export async function* inBatches(
  samples: AsyncIterable<Sample>,
  size: number,
): AsyncGenerator<Sample[]> {
  let batch: Sample[] = [];
  for await (const sample of samples) {
    batch.push(sample);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Stacks a batch into input and one-hot label tensors; the caller disposes them. */
export function batchTensors(
  batch: readonly Sample[],
  shape: readonly number[],
  classCount: number,
): { xs: tf.Tensor; ys: tf.Tensor2D } {
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(batch.length * sampleSize);
  batch.forEach((sample, index) => data.set(sample.x, index * sampleSize));
  const ys = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          batch.map((s) => s.label),
          'int32',
        ),
        classCount,
      )
      .toFloat(),
  ) as tf.Tensor2D;
  return { xs: tf.tensor(data, [batch.length, ...shape]), ys };
}
