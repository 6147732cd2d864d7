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
