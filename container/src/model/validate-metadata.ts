import { ModelMetadata, REGISTRY_SCHEMA_VERSION } from '../../../lib/contracts/registry';
import { ModelResolutionError } from '../infer/errors';

const isPositiveInteger = (value: unknown) => Number.isInteger(value) && (value as number) > 0;

function inputErrors(input: unknown): string[] {
  const spec = input as Record<string, unknown> | undefined;
  if (spec?.kind === 'image') {
    return [
      ...(['width', 'height'] as const)
        .filter((field) => !isPositiveInteger(spec[field]))
        .map((field) => `input.${field}: expected a positive integer`),
      ...(spec.channels === 1 || spec.channels === 3 ? [] : ['input.channels: expected 1 or 3']),
      ...(['scale', 'offset'] as const)
        .filter((field) => typeof spec[field] !== 'number')
        .map((field) => `input.${field}: expected a number`),
    ];
  }
  if (spec?.kind === 'features') {
    const names = spec.names;
    return [
      ...(isPositiveInteger(spec.size) ? [] : ['input.size: expected a positive integer']),
      ...(names === undefined ||
      (Array.isArray(names) &&
        names.length === spec.size &&
        names.every((n) => typeof n === 'string'))
        ? []
        : ['input.names: expected input.size feature names']),
    ];
  }
  return [`input.kind: expected 'image' or 'features', got ${JSON.stringify(spec?.kind)}`];
}

/**
 * Checks a model's metadata.json before anything is scored with it, naming every bad field.
 * `where` says which object was read, for the message.
 */
export function validateMetadata(value: unknown, where: string): ModelMetadata {
  const m = value as Partial<ModelMetadata> | null;
  if (typeof m !== 'object' || m === null) {
    throw new ModelResolutionError(`${where}: expected a JSON object`);
  }
  const errors = [
    ...(m.schemaVersion === REGISTRY_SCHEMA_VERSION
      ? []
      : [
          `schemaVersion: expected ${REGISTRY_SCHEMA_VERSION}, got ${JSON.stringify(m.schemaVersion)}`,
        ]),
    ...(typeof m.name === 'string' && m.name ? [] : ['name: expected a non-empty string']),
    ...(typeof m.version === 'string' && m.version ? [] : ['version: expected a non-empty string']),
    ...(m.format === 'layers' || m.format === 'graph'
      ? []
      : ["format: expected 'layers' or 'graph'"]),
    ...inputErrors(m.input),
    ...(Array.isArray(m.labels) &&
    m.labels.length > 0 &&
    m.labels.every((l) => typeof l === 'string')
      ? []
      : ['labels: expected a non-empty array of strings']),
  ];
  if (errors.length > 0) {
    throw new ModelResolutionError(`${where}: invalid model metadata: ${errors.join('; ')}`);
  }
  return m as ModelMetadata;
}

/** The model's input tensor shape for one record, without the batch dimension. */
export function inputShape(metadata: ModelMetadata): number[] {
  const input = metadata.input;
  return input.kind === 'image' ? [input.height, input.width, input.channels] : [input.size];
}
