/**
 * Model registry contract on S3 (keys in ./keys.ts, `modelKeys`):
 *   models/<name>/versions/<version>/model.json, weights.bin   tfjs artifacts (layers or graph)
 *   models/<name>/versions/<version>/metadata.json            ModelMetadata, written last
 *   models/<name>/champion.json                               ChampionPointer
 *   models/<name>/history/<iso-time>-<event>.json             PromotionEvent, one object each
 * Versions are immutable: a version directory is never rewritten once metadata.json exists.
 */
export const REGISTRY_SCHEMA_VERSION = 1;

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
  readonly schemaVersion: typeof REGISTRY_SCHEMA_VERSION;
  readonly name: string;
  readonly version: string;
  readonly format: 'layers' | 'graph';
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
  return [
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
    ...inputProblems(m.input),
    ...(Array.isArray(m.labels) &&
    m.labels.length > 0 &&
    m.labels.every((l) => typeof l === 'string')
      ? []
      : ['labels: expected a non-empty array of strings']),
  ];
}
