/**
 * Worker output contracts: one JSON line per scored record, one per failed record, and one
 * summary per shard. Status tooling reads these; keep them stable and versioned
 * (docs/contracts.md, JSON Schemas in ./schemas/).
 */
export const RECORDS_SCHEMA_VERSION = 1;

export interface SourceRef {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly versionId?: string;
  /**
   * Record index inside the object, or inside its archive member: 0 for an image, the line or
   * row number for JSONL/CSV.
   */
  readonly offset: number;
  /** For a record of a tar archive's member: the member's name, as its header spells it. */
  readonly member?: string;
  /** For a record of a tar archive's member: the 0-based position of its entry in the archive. */
  readonly memberIndex?: number;
}

export interface Prediction {
  readonly label: string;
  readonly score: number;
}

export interface ResultRecord {
  readonly schemaVersion: typeof RECORDS_SCHEMA_VERSION;
  readonly recordId: string;
  readonly batchId: string;
  readonly shard: number;
  readonly source: SourceRef;
  readonly model: { readonly name: string; readonly version: string };
  /** Top-k predictions, highest score first. */
  readonly predictions: readonly Prediction[];
}

/**
 * Why a record could not be scored; stable codes so status tooling can group them. A list at
 * run time so the JSON Schemas (lib/contracts/schemas/) can be checked against it.
 */
export const ERROR_CODES = [
  'DOWNLOAD_FAILED',
  'EMPTY_OBJECT',
  'TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'DECODE_FAILED',
  'BAD_SHAPE',
  'BAD_ROW',
  'INFERENCE_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Longest reason of an error record, in UTF-8 bytes: enough to name the problem and where it
 * is, while a reason quoting its input (a 20 MB cell) cannot make the error stream huge.
 */
export const MAX_REASON_BYTES = 1024;

export interface ErrorRecord {
  readonly schemaVersion: typeof RECORDS_SCHEMA_VERSION;
  readonly recordId: string;
  readonly batchId: string;
  readonly shard: number;
  readonly source: SourceRef;
  readonly code: ErrorCode;
  /** Human-readable reason naming what was wrong with the input; at most MAX_REASON_BYTES. */
  readonly reason: string;
}

export interface ShardSummary {
  readonly schemaVersion: typeof RECORDS_SCHEMA_VERSION;
  readonly batchId: string;
  readonly shard: number;
  readonly model: { readonly name: string; readonly version: string };
  readonly backend: string;
  readonly counts: { readonly ok: number; readonly failed: number; readonly skipped: number };
  readonly errorsByCode: Readonly<Partial<Record<ErrorCode, number>>>;
  readonly timings: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly totalMs: number;
    readonly downloadMs: number;
    readonly decodeMs: number;
    readonly inferenceMs: number;
    readonly writeMs: number;
  };
}
