import type { PipelineConfig } from '../../lib/config/pipeline-config';

/** Sizes of one demo run; the integration test runs a smaller one. */
export interface DemoSize {
  /** Held-out MNIST digits uploaded for scoring (spread over the ten labels). */
  readonly images: number;
  /** Training images per digit for the retrain job. */
  readonly trainPerDigit: number;
  readonly epochs: number;
  /** Files per array-job child. */
  readonly shardSize: number;
  /** Lowest top-1 accuracy on the held-out digits that counts as a working pipeline. */
  readonly minAccuracy: number;
}

export const DEFAULT_DEMO_SIZE: DemoSize = {
  images: 300,
  trainPerDigit: 400,
  epochs: 5,
  shardSize: 100,
  minAccuracy: 0.9,
};

/**
 * The stack's settings for the demo, as a user would set them in cdk.json: a batch closes when
 * the demo's `files` have arrived (the file-count threshold) instead of at 20,000 files or 15
 * minutes, with the shortest allowed wait as the fallback; the retrain schedule is kept (the
 * demo submits that job itself, as the schedule would).
 */
export function demoPipeline(
  size: DemoSize,
  files: number,
  namePrefix: string,
): Partial<Record<keyof PipelineConfig, unknown>> {
  return {
    namePrefix,
    maxBatchFiles: files,
    maxBatchWaitSeconds: 60,
    batcherBatchingWindowSeconds: 2,
    batcherBatchSize: 100,
    shardSize: size.shardSize,
    modelName: 'digits',
  };
}

/** The age trigger's interval in the demo: the stack's rule fires every minute; 10 s here. */
export const DEMO_SWEEP_INTERVAL_MS = 10_000;
