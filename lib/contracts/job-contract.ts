/**
 * The contract between the batcher (SubmitJob), the CDK job definitions and the worker CLI.
 * The job definitions run `<entrypoint> <command...>` where Ref:: placeholders are filled from
 * SubmitJob parameters (AWS Batch User Guide, "Job definition parameters", Parameters).
 */
export const INFER_COMMAND = ['infer', '--manifest', 'Ref::manifest'] as const;
export const TRAIN_COMMAND = ['train', '--model', 'Ref::model'] as const;

export interface InferJobParameters {
  /** s3:// URL of the batch manifest. */
  readonly manifest: string;
}

export interface TrainJobParameters {
  /** Registry name of the model to retrain. */
  readonly model: string;
}

/** Environment the job definitions set for the worker container. */
export const WORKER_ENV = {
  resultsBucket: 'RESULTS_BUCKET',
  modelBucket: 'MODEL_BUCKET',
  trainingPrefix: 'TRAINING_PREFIX',
  backend: 'TFJS_BACKEND',
} as const;

/** AWS Batch job names: up to 128 letters, numbers, hyphens and underscores. */
export function inferJobName(batchId: string): string {
  return `gbi-infer-${batchId}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
}
