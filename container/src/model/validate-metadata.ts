import { metadataProblems, ModelMetadata } from '../../../lib/contracts/registry';
import { ModelResolutionError } from '../infer/errors';

/**
 * Checks a model's metadata.json before anything is scored with it, naming every bad field.
 * `where` says which object was read, for the message.
 */
export function validateMetadata(value: unknown, where: string): ModelMetadata {
  const problems = metadataProblems(value);
  if (problems.length > 0) {
    throw new ModelResolutionError(`${where}: invalid model metadata: ${problems.join('; ')}`);
  }
  return value as ModelMetadata;
}

/** The model's input tensor shape for one record, without the batch dimension. */
export function inputShape(metadata: ModelMetadata): number[] {
  const input = metadata.input;
  return input.kind === 'image' ? [input.height, input.width, input.channels] : [input.size];
}
