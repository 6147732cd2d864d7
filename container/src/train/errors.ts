/** Errors of the training job; each names the input that was wrong. */

/** A command-line flag or a training-config field is missing or invalid. */
export class TrainConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainConfigError';
  }
}

/** No usable training or validation samples: the job fails and the registry is left untouched. */
export class EmptyDatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmptyDatasetError';
  }
}

/** A data object cannot become samples (undecodable image, wrong size, unparsable line). */
export class UnreadableSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableSampleError';
  }
}

/** A record carries no label, or a label the model does not know. */
export class LabelError extends Error {
  constructor(
    message: string,
    readonly kind: 'missing-label' | 'unknown-label',
  ) {
    super(message);
    this.name = 'LabelError';
  }
}

/**
 * The job was asked to stop (SIGTERM: job termination or a spot reclaim) and stopped between
 * mini-batches, before anything was written to the registry.
 */
export class TrainingStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingStoppedError';
  }
}
