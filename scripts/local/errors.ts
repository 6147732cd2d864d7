/** Errors of the local runtime (emulator deploy, executor, batcher loop). */

/** The emulator refused or could not create part of the stack. */
export class EmulatorDeployError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorDeployError';
  }
}

/** A job in the emulator's queue cannot be run locally as submitted. */
export class LocalJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalJobError';
  }
}
