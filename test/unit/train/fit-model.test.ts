import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../container/src/train/architecture';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { TrainingStoppedError } from '../../../container/src/train/errors';
import { FitOptions, fitModel } from '../../../container/src/train/fit-model';
import type { Sample } from '../../../container/src/train/sample';
import { backendsUnderTest, onBackend } from '../../helpers/backends';

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

const options: FitOptions = {
  batchSize: 16,
  epochs: 20,
  learningRate: 0.05,
  learningRateDecay: 1,
  patience: 20,
  shape: [2],
  classCount: 2,
};

/** Fits the same initial weights on the same samples; returns the loss of every epoch. */
async function epochLosses(backend: string, epochs: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = buildModel(mlp, 2, 1);
  const result = await fitModel(
    model,
    { train: () => each(samples(400, 0)), validation: () => each(samples(100, 1)) },
    { ...options, epochs },
  );
  model.dispose();
  return result.epochs.map((e) => e.trainLoss);
}

describe.each(backendsUnderTest())('fitModel on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend('train', () => undefined, onBackend(process.env, backend));
  });

  it('trains to the losses of the reference cpu backend within 1e-4', async () => {
    // given the same seeded weights and samples
    const tfName = tf.getBackend();
    // when five epochs are fitted on this backend and on tfjs's plain JavaScript cpu backend
    const here = await epochLosses(tfName, 5);
    const reference = await epochLosses('cpu', 5);
    await tf.setBackend(tfName);

    // then every epoch's training loss agrees within 1e-4 (float32 sums in another order)
    here.forEach((loss, i) => expect(Math.abs(loss - reference[i])).toBeLessThan(1e-4));
  });

  it('stops between mini-batches when its stop signal is aborted, holding no tensor', async () => {
    // given a fit whose stop signal fires during its first epoch
    const model = buildModel(mlp, 2, 1);
    const stop = new AbortController();
    const before = tf.memory().numTensors;
    let batches = 0;
    async function* stopDuringThirdBatch(): AsyncGenerator<Sample> {
      for (const sample of samples(400, 0)) {
        if (++batches === 33) stop.abort();
        yield sample;
      }
    }

    // when fitted
    const fit = fitModel(
      model,
      { train: stopDuringThirdBatch, validation: () => each(samples(10, 1)) },
      { ...options, stop: stop.signal },
    );

    // then it rejects naming where it stopped, and leaves no tensor behind but the model's
    await expect(fit).rejects.toThrow(TrainingStoppedError);
    await expect(fit).rejects.toThrow('stopped in epoch 1 after 32 samples');
    // (Adam keeps two moment tensors per weight; nothing else may remain.)
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 3 * model.weights.length + 2);
    model.dispose();
  });

  it('learns a separable problem with mini-batch gradient descent', async () => {
    // given 400 training and 100 validation samples of a separable problem
    const train = samples(400, 0);
    const validation = samples(100, 1);
    const model = buildModel(mlp, 2, 1);

    // when fitted for 20 epochs
    const result = await fitModel(
      model,
      { train: () => each(train), validation: () => each(validation) },
      options,
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
