import * as tf from '@tensorflow/tfjs';
import type { ModelMetrics } from '../../../lib/contracts/registry';
import { batchTensors, inBatches } from './batches';
import type { Sample } from './sample';

/** Mean cross-entropy and accuracy of `model` over a streamed sample set. */
export async function evaluateModel(
  model: tf.LayersModel,
  samples: AsyncIterable<Sample>,
  batchSize: number,
  shape: readonly number[],
  classCount: number,
): Promise<ModelMetrics> {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of inBatches(samples, batchSize)) {
    const { xs, ys } = batchTensors(batch, shape, classCount);
    const [batchLoss, batchCorrect] = tf.tidy(() => {
      const probabilities = (model.predict(xs) as tf.Tensor2D).clipByValue(1e-7, 1 - 1e-7);
      const loss = tf.neg(tf.sum(tf.mul(ys, tf.log(probabilities))));
      const hits = tf.sum(tf.equal(tf.argMax(probabilities, 1), tf.argMax(ys, 1)).toFloat());
      return [loss, hits];
    });
    lossSum += (await batchLoss.data())[0];
    correct += (await batchCorrect.data())[0];
    count += batch.length;
    tf.dispose([xs, ys, batchLoss, batchCorrect]);
  }
  return {
    validationLoss: count > 0 ? lossSum / count : Number.NaN,
    validationAccuracy: count > 0 ? correct / count : Number.NaN,
    validationSamples: count,
  };
}
