import type { ModelMetadata, SavedModelSignature } from '../../../../lib/contracts/registry';
import { inputShape } from '../validate-metadata';
import {
  INIT_OP_SIGNATURE,
  MetaGraphSummary,
  SavedModelGraph,
  TensorSummary,
} from './saved-model-graph';

/** The meta graph and signature tf.saved_model.save and Keras write for serving. */
export const DEFAULT_SAVED_MODEL_SIGNATURE: SavedModelSignature = {
  tags: ['serve'],
  signature: 'serving_default',
};

const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((tag) => b.includes(tag));

const shown = (shape: readonly number[] | undefined) =>
  shape === undefined ? 'unknown rank' : shape.map((d) => (d < 0 ? '?' : String(d))).join('x');

function checkTensor(
  tensor: TensorSummary,
  what: string,
  expected: readonly (number | undefined)[],
): string[] {
  const problems: string[] = [];
  if (tensor.dtype !== 'DT_FLOAT') {
    problems.push(
      `its ${what} ${tensor.name} is ${tensor.dtype}; the pipeline uses DT_FLOAT (float32)`,
    );
  }
  const shape = tensor.shape;
  if (shape === undefined) return problems;
  const [batch, ...own] = shape;
  if (shape.length === 0 || batch >= 0) {
    problems.push(
      `its ${what} ${tensor.name} has shape ${shown(shape)}; the first dimension must be the free batch dimension`,
    );
    return problems;
  }
  const fits =
    own.length === expected.length &&
    own.every((d, i) => d < 0 || expected[i] === undefined || d === expected[i]);
  if (!fits) {
    problems.push(
      `shape mismatch: its ${what} ${tensor.name} is ${shown(own)} per record, the metadata declares ${expected.map((d) => d ?? '?').join('x')}`,
    );
  }
  return problems;
}

/**
 * The meta graph `spec` names, after checking that its signature takes one float32 input of the
 * metadata's shape (plus a free batch dimension) and returns one float32 output of one score per
 * label, as the worker feeds and reads it. Throws an Error naming the signature, tensor and
 * shape at fault; `where` names the model, for the message.
 */
export function checkServingSignature(
  graph: SavedModelGraph,
  spec: SavedModelSignature,
  metadata: ModelMetadata,
  where: string,
): MetaGraphSummary {
  const meta = graph.metaGraphs.find((m) => sameTags(m.tags, spec.tags));
  if (meta === undefined) {
    throw new Error(
      `${where}: no meta graph tagged ${spec.tags.join(',')} (its meta graphs: ${graph.metaGraphs.map((m) => `[${m.tags.join(',')}]`).join(' ')})`,
    );
  }
  const signature = meta.signatures[spec.signature];
  const names = Object.keys(meta.signatures).filter((name) => name !== INIT_OP_SIGNATURE);
  if (signature === undefined || spec.signature === INIT_OP_SIGNATURE) {
    throw new Error(
      `${where}: no signature '${spec.signature}' in meta graph ${spec.tags.join(',')} (its signatures: ${names.join(', ') || 'none'})`,
    );
  }
  const inputs = Object.values(signature.inputs);
  const outputs = Object.values(signature.outputs);
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new Error(
      `${where}: signature '${spec.signature}' has ${inputs.length} inputs and ${outputs.length} outputs; the pipeline feeds one input tensor and reads one output`,
    );
  }
  const problems = [
    ...checkTensor(inputs[0], 'input', inputShape(metadata)),
    ...checkTensor(outputs[0], 'output', [metadata.labels.length]),
  ];
  if (problems.length > 0) {
    throw new Error(`${where}: signature '${spec.signature}': ${problems.join('; ')}`);
  }
  return meta;
}
