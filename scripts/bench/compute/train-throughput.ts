import { buildModel, DIGITS_CNN } from '../../../container/src/train/architecture';
import { fitModel } from '../../../container/src/train/fit-model';
import type { Sample } from '../../../container/src/train/sample';
import { digitRange, digitSample } from '../../../test/helpers/train-digits';

export const TRAIN_LEARNING_RATE = 0.002;
export const TRAIN_SHAPE = [28, 28, 1] as const;
export const TRAIN_CLASSES = 10;
/** Seed of the model's initial weights, shared with the Keras peer. */
export const TRAIN_SEED = 1;

export interface TrainingDigits {
  readonly train: readonly Sample[];
  readonly validation: readonly Sample[];
}

/** `count` real MNIST digits (a tenth of each class) to train on, and 20 others to validate. */
export function trainingDigits(count: number): TrainingDigits {
  const perDigit = Math.ceil(count / 10);
  return {
    train: digitRange(0, perDigit).map(({ digit, index }) => digitSample(digit, index)),
    validation: digitRange(perDigit, 2).map(({ digit, index }) => digitSample(digit, index)),
  };
}

async function* each(samples: readonly Sample[]): AsyncGenerator<Sample> {
  for (const sample of samples) yield sample;
}

/**
 * Training samples per second of the default digits CNN through the worker's fitModel on the
 * active backend, one epoch with validation: a warm-up epoch of two batches (kernel set-up),
 * then the median of `repeats` timed epochs, as the Keras peer times `model.fit`.
 */
export async function trainingThroughput(
  digits: TrainingDigits,
  batchSize: number,
  repeats: number,
): Promise<number> {
  const model = buildModel(DIGITS_CNN, TRAIN_CLASSES, TRAIN_SEED);
  const options = {
    batchSize,
    epochs: 1,
    learningRate: TRAIN_LEARNING_RATE,
    learningRateDecay: 1,
    patience: 0,
    shape: TRAIN_SHAPE,
    classCount: TRAIN_CLASSES,
  };
  try {
    const warm = digits.train.slice(0, 2 * batchSize);
    await fitModel(
      model,
      { train: () => each(warm), validation: () => each(digits.validation) },
      options,
    );
    const rates: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = process.hrtime.bigint();
      const result = await fitModel(
        model,
        { train: () => each(digits.train), validation: () => each(digits.validation) },
        options,
      );
      rates.push(result.trainSamples / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    rates.sort((a, b) => a - b);
    return rates[Math.floor(rates.length / 2)];
  } finally {
    model.dispose();
  }
}
