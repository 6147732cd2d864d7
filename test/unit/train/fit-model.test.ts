import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../container/src/train/architecture';
import { fitModel } from '../../../container/src/train/fit-model';
import type { Sample } from '../../../container/src/train/sample';

/** Two classes separable by the sign of the first feature. */
function samples(count: number, offset: number): Sample[] {
  return Array.from({ length: count }, (_, i) => {
    const a = Math.sin(i * 12.9898 + offset) * 2;
    const b = Math.cos(i * 78.233 + offset);
    return { id: `s${offset}-${i}`, x: Float32Array.from([a, b]), label: a > 0 ? 1 : 0 };
  });
}

async function* each(items: Sample[]): AsyncGenerator<Sample> {
  for (const item of items) yield item;
}

const mlp = {
  kind: 'mlp',
  input: { kind: 'features', size: 2 },
  hiddenUnits: [8],
  dropout: 0,
} as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fitModel', () => {
  it('learns a separable problem with mini-batch gradient descent', async () => {
    // given 400 training and 100 validation samples of a separable problem
    const train = samples(400, 0);
    const validation = samples(100, 1);
    const model = buildModel(mlp, 2, 1);

    // when fitted for 20 epochs
    const result = await fitModel(
      model,
      { train: () => each(train), validation: () => each(validation) },
      {
        batchSize: 16,
        epochs: 20,
        learningRate: 0.05,
        learningRateDecay: 1,
        patience: 20,
        shape: [2],
        classCount: 2,
      },
    );

    // then validation accuracy is high and the last epoch beats the first
    expect(result.metrics.validationAccuracy).toBeGreaterThan(0.9);
    expect(result.epochs.at(-1)!.metrics.validationLoss).toBeLessThan(
      result.epochs[0].metrics.validationLoss,
    );
  });

  it('stops early after `patience` epochs without improvement and keeps the best weights', async () => {
    // given a learning rate of 0, so no epoch can improve on the first
    const train = samples(64, 0);
    const validation = samples(32, 1);
    const model = buildModel(mlp, 2, 1);

    // when fitted for up to 10 epochs with patience 1
    const result = await fitModel(
      model,
      { train: () => each(train), validation: () => each(validation) },
      {
        batchSize: 16,
        epochs: 10,
        learningRate: 0,
        learningRateDecay: 1,
        patience: 1,
        shape: [2],
        classCount: 2,
      },
    );

    // then training stopped after epoch 3, keeping epoch 1
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(result.bestEpoch).toBe(1);
  });

  it('reports no samples when the training stream is empty', async () => {
    // given empty training data / when fitted
    const model = buildModel(mlp, 2, 1);
    const result = await fitModel(
      model,
      { train: () => each([]), validation: () => each(samples(8, 1)) },
      {
        batchSize: 4,
        epochs: 3,
        learningRate: 0.01,
        learningRateDecay: 1,
        patience: 1,
        shape: [2],
        classCount: 2,
      },
    );

    // then nothing was trained or validated
    expect([result.trainSamples, result.metrics.validationSamples]).toEqual([0, 0]);
  });
});
