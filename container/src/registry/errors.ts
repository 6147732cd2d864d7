/** Errors of the model registry; each names the model, version or object concerned. */

export class VersionNotFoundError extends Error {
  constructor(
    readonly modelName: string,
    readonly version: string,
  ) {
    super(`model '${modelName}': version '${version}' does not exist (no metadata.json)`);
    this.name = 'VersionNotFoundError';
  }
}

/** Versions are immutable: a second write of the same version is refused. */
export class VersionExistsError extends Error {
  constructor(
    readonly modelName: string,
    readonly version: string,
  ) {
    super(`model '${modelName}': version '${version}' already exists and is immutable`);
    this.name = 'VersionExistsError';
  }
}

/**
 * The champion pointer changed between reading it and moving it (another promotion or rollback
 * ran at the same time); it was not overwritten. Deciding again against the new champion is the
 * caller's business.
 */
export class ChampionMovedError extends Error {
  constructor(
    readonly modelName: string,
    readonly version: string,
    readonly expectedChampion: string | undefined,
  ) {
    super(
      `model '${modelName}': champion changed while making '${version}' the champion (it was ${expectedChampion === undefined ? 'unset' : `'${expectedChampion}'`}); pointer left as the other writer set it`,
    );
    this.name = 'ChampionMovedError';
  }
}

export class NoChampionError extends Error {
  constructor(readonly modelName: string) {
    super(`model '${modelName}': no champion pointer (champion.json) yet`);
    this.name = 'NoChampionError';
  }
}

/** Rollback needs a champion before the current one in the history. */
export class NoEarlierChampionError extends Error {
  constructor(
    readonly modelName: string,
    readonly version: string,
  ) {
    super(`model '${modelName}': history names no champion before '${version}' to roll back to`);
    this.name = 'NoEarlierChampionError';
  }
}

/** A registry object exists but is not what the contract in lib/contracts/registry.ts says. */
export class RegistryDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryDataError';
  }
}
