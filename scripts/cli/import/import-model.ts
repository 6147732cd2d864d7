import {
  metadataProblems,
  metadataSchemaVersion,
  ModelMetadata,
  PromotionEvent,
} from '../../../lib/contracts/registry';
import type { ModelRegistry } from '../../../container/src/registry/model-registry';
import { newVersionId } from '../../../container/src/registry/version-id';
import { ModelImportError } from './errors';
import type { ImportSpec } from './import-spec';
import { inputSpecOf } from './import-spec';
import { checkShardSizes, modelFormat, parseModelJson, weightPaths } from './model-json';
import type { ModelSource } from './model-source';
import {
  isSavedModel,
  readSavedModelFiles,
  savedModelSignature,
  validateSavedModel,
} from './saved-model-import';
import { validateOnBackend } from './validate-on-backend';

const MODEL_JSON = 'model.json';

export interface ImportRequest {
  readonly source: ModelSource;
  readonly spec: ImportSpec;
  /** The registry of the model name the version joins. */
  readonly registry: ModelRegistry;
  /** @default a new time-ordered version id */
  readonly version?: string;
  /** Make the new version the champion, recording this reason in the history. */
  readonly promoteReason?: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

export interface ImportResult {
  /** The version's metadata as registered, with the SHA-256 of every file. */
  readonly metadata: ModelMetadata;
  /** The promotion, when one was asked for. */
  readonly promotion?: PromotionEvent;
}

/** Every file of the model directory: model.json and each weight shard it names. */
async function readModelFiles(source: ModelSource) {
  const where = source.location;
  const jsonBytes = await source.read(MODEL_JSON);
  if (jsonBytes === undefined) {
    throw new ModelImportError(
      `${where}: no ${MODEL_JSON} and no saved_model.pb; expected a TensorFlow.js model directory as tensorflowjs_converter writes it, or a TensorFlow SavedModel directory as tf.saved_model.save and Keras write it`,
    );
  }
  const json = parseModelJson(jsonBytes, `${where}${MODEL_JSON}`);
  const files = new Map<string, Uint8Array>([[MODEL_JSON, jsonBytes]]);
  for (const path of weightPaths(json, `${where}${MODEL_JSON}`)) {
    const bytes = await source.read(path);
    if (bytes === undefined) {
      throw new ModelImportError(
        `missing weight shard ${where}${path}: ${MODEL_JSON} names it in its weightsManifest`,
      );
    }
    files.set(path, bytes);
  }
  const sizes = new Map([...files].map(([path, bytes]) => [path, bytes.byteLength]));
  checkShardSizes(json, sizes, `${where}${MODEL_JSON}`);
  return { json, files, format: modelFormat(json, `${where}${MODEL_JSON}`) };
}

function labelsOf(spec: ImportSpec): readonly string[] {
  const labels = spec.labels ?? [];
  if (labels.length === 0 || labels.some((label) => label === '')) {
    throw new ModelImportError(
      'model metadata: labels: required, one non-empty label per model output (--labels a,b,c, --labels-file FILE, or the metadata file)',
    );
  }
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) {
    throw new ModelImportError(`model metadata: labels: '${repeated}' appears more than once`);
  }
  return labels;
}

/**
 * The model directory's files and how to check them: a SavedModel's every file, or a tfjs
 * model's model.json and the shards it names.
 */
async function readModel(source: ModelSource, spec: ImportSpec) {
  const paths = await source.list();
  if (isSavedModel(paths)) {
    const savedModel = savedModelSignature(spec.signature);
    const files = await readSavedModelFiles(source, paths);
    return {
      format: 'saved-model' as const,
      files,
      savedModel,
      validate: (metadata: ModelMetadata) => validateSavedModel(files, metadata, source.location),
    };
  }
  if (spec.signature !== undefined) {
    throw new ModelImportError(
      `model metadata: signature: only for a SavedModel, and ${source.location} has no saved_model.pb`,
    );
  }
  const { json, files, format } = await readModelFiles(source);
  return {
    format,
    files,
    savedModel: undefined,
    validate: (metadata: ModelMetadata) =>
      validateOnBackend(json, files, metadata, source.location),
  };
}

/**
 * `gbi models import`: reads a TensorFlow.js model directory (checking every weight shard is
 * there and of the size model.json declares) or a TensorFlow SavedModel directory (checking its
 * files, its ops and its signature), builds the version's metadata from the spec, loads the
 * model on the active backend and warms it up as the worker will, and only then registers it as
 * a new immutable version (promoting it when asked). Every refusal is a ModelImportError naming
 * the file or field at fault, raised before anything is written.
 */
export async function importModel(request: ImportRequest): Promise<ImportResult> {
  const { source, spec, registry } = request;
  const clock = request.clock ?? (() => new Date());
  const { files, format, savedModel, validate } = await readModel(source, spec);
  if (spec.topK !== undefined && !(Number.isInteger(spec.topK) && spec.topK > 0)) {
    throw new ModelImportError(
      `model metadata: topK: expected a positive integer, got ${spec.topK}`,
    );
  }
  const metadata: ModelMetadata = {
    schemaVersion: metadataSchemaVersion(format),
    name: registry.name,
    version: request.version ?? newVersionId(clock()),
    format,
    ...(savedModel ? { savedModel } : {}),
    input: inputSpecOf(spec),
    labels: labelsOf(spec),
    createdAt: clock().toISOString(),
    ...(spec.topK !== undefined ? { defaultTopK: spec.topK } : {}),
    importedFrom: source.location,
  };
  const problems = metadataProblems(metadata);
  if (problems.length > 0) {
    throw new ModelImportError(`model metadata: ${problems.join('; ')}`);
  }
  await validate(metadata);
  const registered = await registry.registerFiles(files, metadata);
  const promotion =
    request.promoteReason === undefined
      ? undefined
      : await registry.promote(registered.version, request.promoteReason);
  return { metadata: registered, ...(promotion ? { promotion } : {}) };
}
