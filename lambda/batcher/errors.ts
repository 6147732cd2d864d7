/** Error classes of the batcher; each sets `name` so logs and tests can tell them apart. */

/** An environment variable is missing or malformed; raised at cold start, naming the variable. */
export class BatcherConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatcherConfigError';
  }
}

/** An SQS message body is not an S3 event notification; the message goes back to the queue. */
export class EventParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventParseError';
  }
}

/** The buffer could not place items after repeated contention; the messages are retried. */
export class PlacementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlacementError';
  }
}

/** A manifest already in S3 does not describe the batch it is stored under. */
export class ManifestConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestConflictError';
  }
}

/** AWS Batch refused or kept failing a submission; the batch stays pending for the next trigger. */
export class SubmitJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SubmitJobError';
  }
}
