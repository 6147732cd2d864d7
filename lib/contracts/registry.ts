/**
 * Model registry contract on S3 (keys in ./keys.ts, `modelKeys`):
 *   models/<name>/versions/<version>/model.json, weights.bin   tfjs artifacts (layers or graph)
 *   models/<name>/versions/<version>/saved_model.pb, variables/...   or a TensorFlow SavedModel
 *   models/<name>/versions/<version>/training-data.jsonl      TrainingDataEntry, one per line
 *   models/<name>/versions/<version>/metadata.json            ModelMetadata, written last
 *   models/<name>/champion.json                               ChampionPointer
 *   models/<name>/history/<iso-time>-<event>.json             PromotionEvent, one object each
 * Versions are immutable: every file of a version is written once (conditional create, enforced
 * by the model bucket's policy), and metadata.json records the SHA-256 of each model file, which
 * the worker checks before it scores with the version.
 * Formats, versioning rules and JSON Schemas: docs/contracts.md, ./schemas/.
 */
export const REGISTRY_SCHEMA_VERSION = 1;

/**
 * The metadata version of a SavedModel version (format 'saved-model'): its files are not
 * model.json and weights, so a reader of version 1 must not take it for one. Metadata of tfjs
 * versions stays at REGISTRY_SCHEMA_VERSION, so workers of earlier releases keep reading them.
 */
export const SAVED_MODEL_METADATA_VERSION = 2;

export type ModelFormat = 'layers' | 'graph' | 'saved-model';
export const MODEL_FORMATS: readonly ModelFormat[] = ['layers', 'graph', 'saved-model'];

/** The file every version of a format has, whose digest the metadata must record. */
export const MAIN_MODEL_FILE: Readonly<Record<ModelFormat, string>> = {
  layers: 'model.json',
  graph: 'model.json',
  'saved-model': 'saved_model.pb',
};

/** The metadata schemaVersion of a version of `format`. */
export const metadataSchemaVersion = (format: ModelFormat) =>
  format === 'saved-model' ? SAVED_MODEL_METADATA_VERSION : REGISTRY_SCHEMA_VERSION;

/** Which graph of a SavedModel the worker runs, and through which signature. */
export interface SavedModelSignature {
  /** The meta graph's tags, as tf.saved_model.save writes them: ['serve']. */
  readonly tags: readonly string[];
  /** The signature scored with: one float32 input, one float32 output. */
  readonly signature: string;
}

/** How raw input becomes the model's input tensor; the worker applies exactly this. */
export type InputSpec =
  | {
      readonly kind: 'image';
      readonly width: number;
      readonly height: number;
      /** 1 = grayscale, 3 = RGB. */
      readonly channels: 1 | 3;
      /** pixel' = pixel * scale + offset (pixel in 0..255), e.g. scale 1/255, offset 0. */
      readonly scale: number;
      readonly offset: number;
      /**
       * Per-channel normalisation after scale and offset, in the model's channel order:
       * value = (pixel' - mean[c]) / std[c]. One entry per channel; absent = 0 and 1.
       */
      readonly mean?: readonly number[];
      readonly std?: readonly number[];
      /** Order of the colour channels in the model's input (3 channels only); absent = 'RGB'. */
      readonly channelOrder?: 'RGB' | 'BGR';
    }
  | {
      readonly kind: 'features';
      /** Number of numeric features per record. */
      readonly size: number;
      /** Ordered feature names, for CSV headers and JSON objects. */
      readonly names?: readonly string[];
    };

export interface ModelMetrics {
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly validationSamples: number;
}

export interface ModelMetadata {
  /** REGISTRY_SCHEMA_VERSION, or SAVED_MODEL_METADATA_VERSION for format 'saved-model'. */
  readonly schemaVersion: typeof REGISTRY_SCHEMA_VERSION | typeof SAVED_MODEL_METADATA_VERSION;
  readonly name: string;
  readonly version: string;
  /** TensorFlow.js layers or graph model (model.json), or TensorFlow SavedModel. */
  readonly format: ModelFormat;
  /** The SavedModel's meta graph and signature; present exactly when format is 'saved-model'. */
  readonly savedModel?: SavedModelSignature;
  readonly input: InputSpec;
  /** Output class index -> label. */
  readonly labels: readonly string[];
  readonly createdAt: string;
  readonly metrics?: ModelMetrics;
  /** Where the training data came from: object count per label and the listing's location. */
  readonly trainingData?: {
    readonly source: string;
    readonly objectCount: number;
    readonly countsByLabel: Readonly<Record<string, number>>;
  };
  readonly parentVersion?: string;
  /** Labels per result when the job sets no --top-k (WORKER_TOP_K); absent = the worker's 3. */
  readonly defaultTopK?: number;
  /** Where `gbi models import` read the model files (local path or s3:// URL); absent if trained. */
  readonly importedFrom?: string;
  /**
   * SHA-256 (64 lowercase hex digits) of every model file, by path relative to the version
   * directory: model.json and each weight file it names, or every file of a SavedModel
   * (saved_model.pb, variables/..., assets/...); the worker loads exactly these files. Absent only in versions registered
   * before hashes were recorded, which the worker refuses to score with (docs/operations.md).
   */
  readonly sha256?: Readonly<Record<string, string>>;
}

/**
 * One object a training run read, as listed. schemaVersion is absent in listings written before
 * it was added; those are the same format, so readers take a missing one as 1.
 */
export interface TrainingDataEntry {
  readonly schemaVersion?: typeof REGISTRY_SCHEMA_VERSION;
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly kind: 'image' | 'jsonl' | 'csv';
  /** An image's label folder; absent for records, whose labels are inside the file. */
  readonly label?: string;
}

export interface ChampionPointer {
  readonly schemaVersion: typeof REGISTRY_SCHEMA_VERSION;
  readonly name: string;
  readonly version: string;
  readonly updatedAt: string;
}

export interface PromotionEvent {
  readonly schemaVersion: typeof REGISTRY_SCHEMA_VERSION;
  readonly name: string;
  readonly event: 'promote' | 'reject' | 'rollback';
  readonly version: string;
  readonly previousVersion?: string;
  readonly at: string;
  readonly reason: string;
}

const isPositiveInteger = (value: unknown) => Number.isInteger(value) && (value as number) > 0;

/** mean or std: absent, or one finite number per channel that `valid` accepts. */
function channelValuesProblems(
  spec: Record<string, unknown>,
  field: 'mean' | 'std',
  valid: (value: number) => boolean,
): string[] {
  const values = spec[field];
  if (values === undefined) return [];
  const ok =
    Array.isArray(values) &&
    values.length === spec.channels &&
    values.every((v) => Number.isFinite(v) && valid(v as number));
  const what = field === 'std' ? 'positive numbers' : 'numbers';
  return ok ? [] : [`input.${field}: expected ${String(spec.channels)} ${what}, one per channel`];
}

function inputProblems(input: unknown): string[] {
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
      ...channelValuesProblems(spec, 'mean', () => true),
      ...channelValuesProblems(spec, 'std', (v) => v > 0),
      ...(spec.channelOrder === undefined ||
      (spec.channels === 3 && (spec.channelOrder === 'RGB' || spec.channelOrder === 'BGR'))
        ? []
        : ["input.channelOrder: expected 'RGB' or 'BGR' (3 channels only)"]),
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
 * Every way `value` breaks the ModelMetadata contract, each naming its field; empty when valid.
 * The worker and the registry both check metadata with it before relying on a version.
 */
export function metadataProblems(value: unknown): string[] {
  const m = value as Partial<ModelMetadata> | null;
  if (typeof m !== 'object' || m === null) return ['expected a JSON object'];
  const format = MODEL_FORMATS.includes(m.format as ModelFormat)
    ? (m.format as ModelFormat)
    : undefined;
  const expectedVersion = format ? metadataSchemaVersion(format) : undefined;
  return [
    ...(m.schemaVersion === REGISTRY_SCHEMA_VERSION ||
    m.schemaVersion === SAVED_MODEL_METADATA_VERSION
      ? expectedVersion === undefined || m.schemaVersion === expectedVersion
        ? []
        : [
            `schemaVersion: expected ${expectedVersion} for format '${format}', got ${m.schemaVersion}`,
          ]
      : [
          `schemaVersion: expected ${REGISTRY_SCHEMA_VERSION} or ${SAVED_MODEL_METADATA_VERSION}, got ${JSON.stringify(m.schemaVersion)}`,
        ]),
    ...(typeof m.name === 'string' && m.name ? [] : ['name: expected a non-empty string']),
    ...(typeof m.version === 'string' && m.version ? [] : ['version: expected a non-empty string']),
    ...(format ? [] : ["format: expected 'layers', 'graph' or 'saved-model'"]),
    ...savedModelProblems(m.savedModel, format),
    ...inputProblems(m.input),
    ...(Array.isArray(m.labels) &&
    m.labels.length > 0 &&
    m.labels.every((l) => typeof l === 'string')
      ? []
      : ['labels: expected a non-empty array of strings']),
    ...(m.defaultTopK === undefined || isPositiveInteger(m.defaultTopK)
      ? []
      : ['defaultTopK: expected a positive integer']),
    ...(m.importedFrom === undefined || (typeof m.importedFrom === 'string' && m.importedFrom)
      ? []
      : ['importedFrom: expected a non-empty string']),
    ...digestProblems(m.sha256, format),
  ];
}

function savedModelProblems(value: unknown, format: ModelFormat | undefined): string[] {
  if (format !== 'saved-model') {
    return value === undefined ? [] : ["savedModel: only for format 'saved-model'"];
  }
  const spec = value as Partial<SavedModelSignature> | undefined;
  if (typeof spec !== 'object' || spec === null) {
    return ["savedModel: required for format 'saved-model' ({tags, signature})"];
  }
  return [
    ...(Array.isArray(spec.tags) &&
    spec.tags.length > 0 &&
    spec.tags.every((t) => typeof t === 'string' && t !== '')
      ? []
      : ['savedModel.tags: expected a non-empty array of non-empty strings']),
    ...(typeof spec.signature === 'string' && spec.signature !== ''
      ? []
      : ['savedModel.signature: expected a non-empty string']),
  ];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A relative path inside the version directory: no leading slash, no `..` segment. */
const isVersionFilePath = (path: string) =>
  path.length > 0 && !path.startsWith('/') && !path.split('/').includes('..');

function digestProblems(digests: unknown, format: ModelFormat | undefined): string[] {
  if (digests === undefined) return [];
  if (typeof digests !== 'object' || digests === null || Array.isArray(digests)) {
    return ['sha256: expected an object of file path -> SHA-256 hex digest'];
  }
  const entries = Object.entries(digests as Record<string, unknown>);
  const main = MAIN_MODEL_FILE[format ?? 'layers'];
  return [
    ...(main in digests ? [] : [`sha256: expected an entry for ${main}`]),
    ...entries
      .filter(([path]) => !isVersionFilePath(path))
      .map(([path]) => `sha256: ${JSON.stringify(path)} is not a path inside the version`),
    ...entries
      .filter(([, digest]) => typeof digest !== 'string' || !SHA256_HEX.test(digest))
      .map(([path]) => `sha256.${path}: expected 64 lowercase hex digits`),
  ];
}
