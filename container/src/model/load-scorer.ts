import type { S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { ModelResolutionError } from '../infer/errors';
import { recordedDigests } from './file-digests';
import { loadSavedModelPredictor } from './saved-model/s3-saved-model';
import { s3ModelReader } from './s3-io-handler';
import type { ResolvedModel } from './resolve-model';
import { inputShape } from './validate-metadata';

/** Scores mini-batches of flat model inputs; one Float32Array of class scores per input. */
export interface Scorer {
  score(inputs: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): void;
}

/** A loaded model of either format, as far as scoring needs it. */
export interface Predictor {
  predict(
    input: tf.Tensor,
    config: tf.ModelPredictConfig,
  ): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
  dispose(): unknown;
}

/** Loads a TensorFlow.js model of the metadata's format through `handler`. */
export async function loadModel(
  format: 'layers' | 'graph',
  handler: tf.io.IOHandler,
): Promise<tf.GraphModel | tf.LayersModel> {
  return format === 'graph' ? tf.loadGraphModel(handler) : tf.loadLayersModel(handler);
}

async function loadPredictor(model: ResolvedModel, s3: S3Client): Promise<Predictor> {
  try {
    if (model.metadata.format === 'saved-model') {
      return await loadSavedModelPredictor(model.metadata, model.url, s3);
    }
    // Every file is checked against the metadata's SHA-256 before tfjs parses it.
    const handler = s3ModelReader(model.url, s3, recordedDigests(model.metadata, model.url));
    return await loadModel(model.metadata.format, handler);
  } catch (error) {
    throw new ModelResolutionError(
      `cannot load ${model.metadata.format} model ${model.metadata.name}@${model.metadata.version} from ${model.url}: ${(error as Error).message}`,
    );
  }
}

function predictor(model: Predictor, shape: readonly number[]) {
  const size = shape.reduce((a, b) => a * b, 1);
  return async (inputs: readonly Float32Array[]): Promise<Float32Array> => {
    const flat = new Float32Array(inputs.length * size);
    inputs.forEach((input, i) => {
      if (input.length !== size) {
        throw new Error(`input has ${input.length} values, the model takes ${shape.join('x')}`);
      }
      flat.set(input, i * size);
    });
    const output = tf.tidy(() => {
      // The mini-batch is already the size the worker chose (--batch-size): one call, since
      // LayersModel.predict would otherwise split it into chunks of 32 and concatenate them
      // (measured: 0.6x the batch-128 rate on tfjs-node, docs/benchmarks.md).
      const predicted = model.predict(tf.tensor(flat, [inputs.length, ...shape]), {
        batchSize: inputs.length,
      });
      if (!(predicted instanceof tf.Tensor)) {
        throw new Error('model has several outputs, expected one');
      }
      return predicted;
    });
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  };
}

/**
 * Loads the resolved model through the s3:// IOHandler, refusing any file whose SHA-256 differs
 * from the one its metadata recorded (and versions that recorded none), and checks, with one warm-up record
 * (which also compiles the backend's kernels), that it takes the metadata's input shape and
 * returns one score per label.
 */
export async function loadScorer(model: ResolvedModel, s3: S3Client): Promise<Scorer> {
  return checkedScorer(await loadPredictor(model, s3), model.metadata);
}

/**
 * A Scorer over a loaded model once one warm-up record of the metadata's input shape returned
 * one score per label; disposes of the model and throws a ModelResolutionError otherwise.
 * `gbi models import` checks a model with it before registering it, as the worker will.
 */
export async function checkedScorer(loaded: Predictor, metadata: ModelMetadata): Promise<Scorer> {
  const shape = inputShape(metadata);
  const labels = metadata.labels.length;
  const run = predictor(loaded, shape);
  let warmUp: Float32Array;
  try {
    warmUp = await run([new Float32Array(shape.reduce((a, b) => a * b, 1))]);
  } catch (error) {
    loaded.dispose();
    throw new ModelResolutionError(
      `model ${metadata.name}@${metadata.version} fails a warm-up call with input ${shape.join('x')} from its metadata (wrong shape, or an op the backend lacks): ${(error as Error).message}`,
    );
  }
  if (warmUp.length !== labels) {
    loaded.dispose();
    throw new ModelResolutionError(
      `model ${metadata.name}@${metadata.version} returns ${warmUp.length} scores, its metadata has ${labels} labels`,
    );
  }
  return {
    score: async (inputs) => {
      const scores = await run(inputs);
      return inputs.map((_, i) => scores.subarray(i * labels, (i + 1) * labels));
    },
    dispose: () => loaded.dispose(),
  };
}
