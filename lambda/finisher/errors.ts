/** Error classes of the finisher; each sets `name` so logs, tests and the DLQ can tell them apart. */

/** An environment variable is missing or malformed; raised at cold start, naming the variable. */
export class FinisherConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FinisherConfigError';
  }
}

/**
 * The event is not the end of one of this pipeline's inference jobs (another source, a
 * non-terminal status, an array child, no manifest parameter in the results bucket). Retrying
 * cannot help; after Lambda's retries it lands in the dead-letter queue with this message.
 */
export class NotOurJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotOurJobError';
  }
}

/** The manifest the job names is not in the results bucket, or is not a valid manifest. */
export class ManifestMissingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ManifestMissingError';
  }
}

/** A shard summary exists but is not one: it cannot be counted, and guessing would lie. */
export class ShardSummaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardSummaryError';
  }
}

/** batch.json could be neither created nor read back; thrown so the invocation is retried. */
export class SummaryWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SummaryWriteError';
  }
}

/** EventBridge took the call but refused the entry; thrown so the invocation is retried. */
export class PutEventsFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PutEventsFailedError';
  }
}
