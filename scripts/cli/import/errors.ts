/**
 * A model directory or its metadata that `gbi models import` refuses; the message names the file,
 * field or value at fault. Raised before anything is written to the registry.
 */
export class ModelImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelImportError';
  }
}
