/** Errors of model files on S3; each names the model directory and, where one is at fault, the file. */

/**
 * A model file does not match the SHA-256 its version's metadata recorded, or the metadata
 * records none for a file the model needs: the version was altered after it was written (or
 * predates recorded hashes) and is not loaded.
 */
export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

/** A model file already exists: version files are written once and never replaced. */
export class ModelFileExistsError extends Error {
  constructor(readonly url: string) {
    super(`${url} already exists: model version files are written once, never replaced`);
    this.name = 'ModelFileExistsError';
  }
}
