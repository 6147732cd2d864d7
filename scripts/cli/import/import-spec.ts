import type { InputSpec } from '../../../lib/contracts/registry';
import { ModelImportError } from './errors';

/**
 * What `gbi models import` is told about a model, from a metadata file and flags (a flag wins
 * over the file). The metadata file is this object as JSON, with `labelsFile` (one label a line,
 * relative to the metadata file) allowed in place of `labels`; docs/operations.md shows one.
 */
export interface ImportSpec {
  /** 'image' or 'features'. */
  readonly input?: string;
  /** Input tensor shape of one record: [height, width, channels] for images, [size] for features. */
  readonly shape?: readonly number[];
  readonly scale?: number;
  readonly offset?: number;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  /** 'RGB' or 'BGR'. */
  readonly channelOrder?: string;
  readonly featureNames?: readonly string[];
  readonly labels?: readonly string[];
  readonly topK?: number;
  /** A SavedModel's signature to score with; default serving_default. */
  readonly signature?: string;
}

/** The fields of an ImportSpec and the JSON type each takes, for the metadata file. */
const FIELD_TYPES: Readonly<Record<keyof ImportSpec, 'string' | 'number' | 'numbers' | 'strings'>> =
  {
    input: 'string',
    shape: 'numbers',
    scale: 'number',
    offset: 'number',
    mean: 'numbers',
    std: 'numbers',
    channelOrder: 'string',
    featureNames: 'strings',
    labels: 'strings',
    topK: 'number',
    signature: 'string',
  };

function hasType(value: unknown, type: (typeof FIELD_TYPES)[keyof ImportSpec]): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'numbers':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/**
 * The ImportSpec in a parsed metadata file (`labelsFile` already replaced by `labels`), naming
 * every unknown or mistyped field of `where`.
 */
export function specFromJson(value: unknown, where: string): ImportSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelImportError(`${where}: expected a JSON object`);
  }
  const problems = Object.entries(value).flatMap(([field, v]) => {
    if (!Object.hasOwn(FIELD_TYPES, field)) {
      return [
        `${field}: unknown field (known: ${Object.keys(FIELD_TYPES).join(', ')}, labelsFile)`,
      ];
    }
    const type = FIELD_TYPES[field as keyof ImportSpec];
    return hasType(v, type)
      ? []
      : [
          `${field}: expected ${type === 'numbers' ? 'an array of numbers' : type === 'strings' ? 'an array of strings' : `a ${type}`}`,
        ];
  });
  if (problems.length > 0) throw new ModelImportError(`${where}: ${problems.join('; ')}`);
  return value as ImportSpec;
}

/** A list flag: --shape takes 24x24x3 or 24,24,3, --mean and --std 0.5,0.5,0.5. */
function numbersFlag(flag: string, raw: string): number[] {
  const separators = flag === 'shape' ? "'x' or ','" : "','";
  const values = raw.split(flag === 'shape' ? /[x,]/ : /,/).map((part) => Number(part.trim()));
  if (raw.trim() === '' || values.some((v) => !Number.isFinite(v))) {
    throw new ModelImportError(
      `--${flag}: expected numbers separated by ${separators}, got '${raw}'`,
    );
  }
  return values;
}

function numberFlag(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new ModelImportError(`--${flag}: expected a number, got '${raw}'`);
  }
  return value;
}

/** The command-line flags of an ImportSpec, as strings from parseArgs. */
export type SpecFlags = Partial<
  Record<
    | 'input'
    | 'shape'
    | 'scale'
    | 'offset'
    | 'mean'
    | 'std'
    | 'channel-order'
    | 'labels'
    | 'top-k'
    | 'signature',
    string
  >
>;

/** The ImportSpec the flags give; only the flags that were set. */
export function specFromFlags(flags: SpecFlags): ImportSpec {
  const spec: Record<string, unknown> = {};
  if (flags.input !== undefined) spec.input = flags.input;
  if (flags.shape !== undefined) spec.shape = numbersFlag('shape', flags.shape);
  if (flags.scale !== undefined) spec.scale = numberFlag('scale', flags.scale);
  if (flags.offset !== undefined) spec.offset = numberFlag('offset', flags.offset);
  if (flags.mean !== undefined) spec.mean = numbersFlag('mean', flags.mean);
  if (flags.std !== undefined) spec.std = numbersFlag('std', flags.std);
  if (flags['channel-order'] !== undefined) spec.channelOrder = flags['channel-order'];
  if (flags.labels !== undefined) spec.labels = flags.labels.split(',').map((l) => l.trim());
  if (flags['top-k'] !== undefined) spec.topK = numberFlag('top-k', flags['top-k']);
  if (flags.signature !== undefined) spec.signature = flags.signature;
  return spec as ImportSpec;
}

const isPositiveInteger = (value: number) => Number.isInteger(value) && value > 0;

/**
 * The registry InputSpec an ImportSpec describes, or one ModelImportError naming every missing
 * or invalid field.
 */
export function inputSpecOf(spec: ImportSpec): InputSpec {
  const problems: string[] = [];
  const shape = spec.shape ?? [];
  if (spec.input === 'image') {
    if (shape.length !== 3 || !shape.every(isPositiveInteger) || ![1, 3].includes(shape[2])) {
      problems.push(
        `shape: an image model takes [height, width, channels] with 1 or 3 channels, got ${JSON.stringify(spec.shape ?? null)}`,
      );
    }
    if (spec.scale === undefined) {
      problems.push(
        'scale: required for image input (1/255 = 0.00392156862745098 for pixels in 0..1, 1 for 0..255)',
      );
    }
    if (spec.featureNames !== undefined) problems.push('featureNames: only for features input');
    if (problems.length > 0) throw new ModelImportError(`model metadata: ${problems.join('; ')}`);
    const [height, width, channels] = shape;
    return {
      kind: 'image',
      width,
      height,
      channels: channels as 1 | 3,
      scale: spec.scale!,
      offset: spec.offset ?? 0,
      ...(spec.mean !== undefined ? { mean: spec.mean } : {}),
      ...(spec.std !== undefined ? { std: spec.std } : {}),
      ...(spec.channelOrder !== undefined
        ? { channelOrder: spec.channelOrder as 'RGB' | 'BGR' }
        : {}),
    };
  }
  if (spec.input === 'features') {
    if (shape.length !== 1 || !isPositiveInteger(shape[0])) {
      problems.push(
        `shape: a features model takes [size], got ${JSON.stringify(spec.shape ?? null)}`,
      );
    }
    const imageOnly = (['scale', 'offset', 'mean', 'std', 'channelOrder'] as const).filter(
      (field) => spec[field] !== undefined,
    );
    if (imageOnly.length > 0) problems.push(`${imageOnly.join(', ')}: only for image input`);
    if (problems.length > 0) throw new ModelImportError(`model metadata: ${problems.join('; ')}`);
    return {
      kind: 'features',
      size: shape[0],
      ...(spec.featureNames !== undefined ? { names: spec.featureNames } : {}),
    };
  }
  throw new ModelImportError(
    `model metadata: input: expected 'image' or 'features', got ${JSON.stringify(spec.input ?? null)} (--input or the metadata file's "input")`,
  );
}
