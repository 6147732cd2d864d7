import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { checkedScorer, loadModel } from '../../../container/src/model/load-scorer';
import { inputShape } from '../../../container/src/model/validate-metadata';
import { ModelImportError } from './errors';
import type { ModelJson } from './model-json';

/** Reads the model's artifacts from the files already in memory, as the s3:// handler would. */
function memoryHandler(json: ModelJson, files: ReadonlyMap<string, Uint8Array>): tf.io.IOHandler {
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(json as tf.io.ModelJSON, async (manifest) => {
        const buffers = manifest.flatMap((group) =>
          group.paths.map((path) => {
            const bytes = files.get(path)!;
            return bytes.buffer.slice(
              bytes.byteOffset,
              bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
          }),
        );
        return [
          manifest.flatMap((group) => group.weights),
          tf.io.CompositeArrayBuffer.join(buffers),
        ];
      }),
  };
}

/** A dimension of a model's input that is free: null in layers models, -1 or absent in graph models. */
const isFree = (dimension: number | null | undefined) =>
  dimension === null || dimension === undefined || dimension < 0;

function checkSignature(
  model: tf.GraphModel | tf.LayersModel,
  metadata: ModelMetadata,
  where: string,
) {
  const inputs = model.inputs as readonly { shape?: readonly (number | null)[]; dtype?: string }[];
  if (inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelImportError(
      `${where}: the model has ${inputs.length} inputs and ${model.outputs.length} outputs; the pipeline feeds one input tensor and reads one output`,
    );
  }
  const [input] = inputs;
  if (input.dtype !== undefined && input.dtype !== 'float32') {
    throw new ModelImportError(
      `${where}: the model's input has unsupported dtype ${input.dtype}; the pipeline feeds float32`,
    );
  }
  const declared = inputShape(metadata);
  const own = input.shape?.slice(1);
  if (
    own !== undefined &&
    (own.length !== declared.length ||
      own.some((dimension, i) => !isFree(dimension) && dimension !== declared[i]))
  ) {
    const shown = own.map((d) => (isFree(d) ? '?' : String(d))).join('x');
    throw new ModelImportError(
      `${where}: shape mismatch: the model takes input ${shown}, the metadata declares ${declared.join('x')}`,
    );
  }
}

/**
 * Loads the model on the active backend (the worker's: gbi selects it as the worker does) and
 * checks it as the worker will: one float32 input of the declared shape, one output, and a
 * warm-up record of that shape returning one score per label. Throws a ModelImportError naming
 * what does not fit; an op or layer the backend lacks fails the load and is named by tfjs.
 */
export async function validateOnBackend(
  json: ModelJson,
  files: ReadonlyMap<string, Uint8Array>,
  metadata: ModelMetadata,
  where: string,
): Promise<void> {
  const format = metadata.format === 'graph' ? 'graph' : 'layers';
  let model: tf.GraphModel | tf.LayersModel;
  try {
    model = await loadModel(format, memoryHandler(json, files));
  } catch (error) {
    throw new ModelImportError(
      `${where}: the ${metadata.format} model does not load on the ${tf.getBackend()} backend: ${(error as Error).message}`,
    );
  }
  try {
    checkSignature(model, metadata, where);
  } catch (error) {
    model.dispose();
    throw error;
  }
  try {
    (await checkedScorer(model, metadata)).dispose();
  } catch (error) {
    throw new ModelImportError(`${where}: ${(error as Error).message}`);
  }
}
