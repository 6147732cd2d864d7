import type { ModelMetadata } from '../../../lib/contracts/registry';
import { ModelImportError } from './errors';

/** model.json as tensorflowjs_converter (and tfjs `model.save`) write it, as far as import reads it. */
export interface ModelJson {
  readonly format?: string;
  readonly modelTopology?: unknown;
  readonly weightsManifest?: readonly WeightGroup[];
}

export interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightEntry[];
}

export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string };
}

/** Bytes per value of the weight dtypes tfjs reads from shards; string weights have no fixed size. */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };
/** Stored bytes per value of quantized weights (tensorflowjs_converter --quantize_*). */
const QUANTIZED_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

/** The converter's format names; `model.save` writes 'layers-model' too. */
const FORMATS: Readonly<Record<string, ModelMetadata['format']>> = {
  'layers-model': 'layers',
  'graph-model': 'graph',
};

/** A weight file path inside the model directory: relative, no `..` segment. */
const isInsidePath = (path: string) =>
  typeof path === 'string' &&
  path.length > 0 &&
  !path.startsWith('/') &&
  !path.split(/[\\/]/).includes('..');

/** model.json's bytes as a ModelJson, or a ModelImportError naming what is wrong. */
export function parseModelJson(bytes: Uint8Array, where: string): ModelJson {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ModelImportError(`${where}: not JSON (${(error as Error).message})`);
  }
  const json = value as ModelJson;
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw new ModelImportError(
      `${where}: no modelTopology; expected a TensorFlow.js model.json as tensorflowjs_converter writes it`,
    );
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new ModelImportError(`${where}: weightsManifest: expected an array of weight groups`);
  }
  return json;
}

/** The registry format of a model.json: its `format` field, layers when absent (older converters). */
export function modelFormat(json: ModelJson, where: string): ModelMetadata['format'] {
  const format = json.format ?? 'layers-model';
  const known = Object.hasOwn(FORMATS, format) ? FORMATS[format] : undefined;
  if (!known) {
    throw new ModelImportError(
      `${where}: format '${format}' is not supported (expected ${Object.keys(FORMATS).join(' or ')})`,
    );
  }
  return known;
}

/** Every weight file model.json names, in manifest order. */
export function weightPaths(json: ModelJson, where: string): string[] {
  const paths = (json.weightsManifest ?? []).flatMap((group) => group.paths ?? []);
  const outside = paths.find((path) => !isInsidePath(path));
  if (outside !== undefined) {
    throw new ModelImportError(
      `${where}: weightsManifest names ${JSON.stringify(outside)}, not a file inside the model directory`,
    );
  }
  return paths;
}

function entryBytes(entry: WeightEntry, where: string): number {
  const quantized = entry.quantization?.dtype;
  const table = quantized === undefined ? DTYPE_BYTES : QUANTIZED_BYTES;
  const dtype = quantized ?? entry.dtype;
  if (!Object.hasOwn(table, dtype)) {
    throw new ModelImportError(
      `${where}: weight '${entry.name}' has unsupported ${quantized === undefined ? 'dtype' : 'quantization dtype'} '${dtype}' (supported: ${Object.keys(table).join(', ')})`,
    );
  }
  return entry.shape.reduce((a, b) => a * b, 1) * table[dtype];
}

/**
 * Checks that each weight group's shards hold exactly the bytes its weights declare (the
 * converter splits a group's bytes across its shards in order), naming the group, its shards
 * and both sizes; `sizes` has the byte size of every file in weightPaths.
 */
export function checkShardSizes(
  json: ModelJson,
  sizes: ReadonlyMap<string, number>,
  where: string,
): void {
  (json.weightsManifest ?? []).forEach((group, index) => {
    const declared = group.weights.reduce((sum, entry) => sum + entryBytes(entry, where), 0);
    const actual = group.paths.reduce((sum, path) => sum + sizes.get(path)!, 0);
    if (declared !== actual) {
      const shards = group.paths.map((path) => `${path}: ${sizes.get(path)} bytes`).join(', ');
      throw new ModelImportError(
        `${where}: weight group ${index + 1} declares ${declared} bytes of weights, its shards hold ${actual} (${shards}); a shard is truncated or from another model`,
      );
    }
  });
}
