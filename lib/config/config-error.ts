/** Thrown at synth when the pipeline configuration is invalid; lists every bad field at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid pipeline configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
