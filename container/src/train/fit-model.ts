import * as tf from '@tensorflow/tfjs';
import type { ModelMetrics } from '../../../lib/contracts/registry';
import { batchTensors, inBatches } from './batches';
import { TrainingStoppedError } from './errors';
import { evaluateModel } from './evaluate-model';
import type { Sample } from './sample';

export interface FitOptions {
  readonly batchSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** Learning rate multiplier per epoch: epoch e trains at learningRate * decay^(e-1). */
  readonly learningRateDecay: number;
  readonly patience: number;
  readonly shape: readonly number[];
  readonly classCount: number;
  /** Aborted on SIGTERM: training stops after the current mini-batch. @default never */
  readonly stop?: AbortSignal;
}

export interface FitData {
  /** A fresh, shuffled pass over the training split for each epoch. */
  readonly train: (epoch: number) => AsyncIterable<Sample>;
  /** A pass over the validation split; the same samples every time. */
  readonly validation: () => AsyncIterable<Sample>;
}

export interface EpochLog {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainSamples: number;
  readonly metrics: ModelMetrics;
  readonly seconds: number;
}

export interface FitResult {
  /** Validation metrics of the weights kept (the best epoch). */
  readonly metrics: ModelMetrics;
  readonly bestEpoch: number;
  readonly epochs: readonly EpochLog[];
  readonly trainSamples: number;
}

/** Validation loss must drop by more than this to count as an improvement. */
const MIN_IMPROVEMENT = 1e-4;

/**
 * Mini-batch gradient descent (Adam, learning rate decayed per epoch so late epochs settle
 * instead of oscillating) over a streamed training split, with validation after every epoch
 * and early stopping: training ends after `patience` epochs without improvement
 * and the model keeps the weights of its best epoch.
 */
export async function fitModel(
  model: tf.LayersModel,
  data: FitData,
  options: FitOptions,
  onEpoch: (log: EpochLog) => void = () => undefined,
): Promise<FitResult> {
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const logs: EpochLog[] = [];
  let best: { epoch: number; metrics: ModelMetrics; weights: tf.Tensor[] } | undefined;
  let trainSamples = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = process.hrtime.bigint();
    // Adam reads its learning rate on every step; the field is protected only in the typings.
    (optimizer as unknown as { learningRate: number }).learningRate =
      options.learningRate * options.learningRateDecay ** (epoch - 1);
    let lossSum = 0;
    let seen = 0;
    for await (const batch of inBatches(data.train(epoch), options.batchSize)) {
      if (options.stop?.aborted) {
        tf.dispose(best?.weights ?? []);
        throw new TrainingStoppedError(
          `stopped in epoch ${epoch} after ${seen} samples; nothing was written to the registry`,
        );
      }
      const { xs, ys } = batchTensors(batch, options.shape, options.classCount);
      const result = await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
      lossSum += (Array.isArray(result) ? result[0] : result) * batch.length;
      seen += batch.length;
    }
    trainSamples = Math.max(trainSamples, seen);
    if (seen === 0) break;
    const metrics = await evaluateModel(
      model,
      data.validation(),
      options.batchSize,
      options.shape,
      options.classCount,
    );
    const log: EpochLog = {
      epoch,
      trainLoss: lossSum / seen,
      trainSamples: seen,
      metrics,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
    logs.push(log);
    onEpoch(log);
    if (!best || metrics.validationLoss < best.metrics.validationLoss - MIN_IMPROVEMENT) {
      tf.dispose(best?.weights ?? []);
      best = { epoch, metrics, weights: model.getWeights().map((w) => w.clone()) };
    } else if (epoch - best.epoch > options.patience) {
      break;
    }
  }
  if (!best) {
    return {
      metrics: { validationLoss: Number.NaN, validationAccuracy: Number.NaN, validationSamples: 0 },
      bestEpoch: 0,
      epochs: logs,
      trainSamples,
    };
  }
  model.setWeights(best.weights);
  tf.dispose(best.weights);
  return { metrics: best.metrics, bestEpoch: best.epoch, epochs: logs, trainSamples };
}
