/** Errors of the operator CLI; each names the argument or resource that was wrong. */

/** Wrong or missing command-line arguments (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A stack, batch, job or model version that does not exist where the CLI looked (exit code 1). */
export class MissingResourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingResourceError';
  }
}
