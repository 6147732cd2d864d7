import type { ErrorCode } from '../../../lib/contracts/records';

/** A bad command line or environment: the job definition or the caller must change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The model named by the manifest cannot be resolved or loaded from the registry. */
export class ModelResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelResolutionError';
  }
}

/** More records failed than the shard's error budget allows; the shard fails as a whole. */
export class ErrorBudgetExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErrorBudgetExceededError';
  }
}

/**
 * One input record cannot be scored. Never escapes the pipeline: it becomes an ErrorRecord in
 * the shard's error stream and the rest of the shard goes on.
 */
export class RecordError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

/** The shard was asked to stop (SIGTERM: a spot reclaim or job termination) and checkpointed. */
export class ShardInterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardInterruptedError';
  }
}
