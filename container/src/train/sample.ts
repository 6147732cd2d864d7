/** One labelled training record, already shaped as the model's input. */
export interface Sample {
  /** Stable id (`key` for an image, `key#line` for a JSONL/CSV row); decides the hold-out. */
  readonly id: string;
  readonly x: Float32Array;
  /** Index into the model's labels. */
  readonly label: number;
}

/** Looks up a label's class index, rejecting missing and unknown labels by name. */
export type LabelIndex = ReadonlyMap<string, number>;

export function labelIndex(labels: readonly string[]): LabelIndex {
  return new Map(labels.map((label, index) => [label, index]));
}
