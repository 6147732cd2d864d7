import {
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { modelKeys } from '../../../lib/contracts/keys';
import {
  ChampionPointer,
  MAIN_MODEL_FILE,
  ModelMetadata,
  PromotionEvent,
  REGISTRY_SCHEMA_VERSION,
} from '../../../lib/contracts/registry';
import { anyKeyUnder } from '../../../lib/contracts/s3-key-presence';
import { formatS3Url, joinKey } from '../../../lib/contracts/s3-location';
import { ModelFileExistsError } from '../model/errors';
import { FileDigests, recordedDigests, sha256Hex } from '../model/file-digests';
import { s3ModelReader, s3ModelWriter } from '../model/s3-io-handler';
import {
  ChampionMovedError,
  NoChampionError,
  NoEarlierChampionError,
  VersionExistsError,
  VersionNotFoundError,
} from './errors';
import { asChampion, asEvent, asMetadata } from './registry-records';
import { rollbackTarget } from './rollback-target';
import { readExistingJson, readJson, readJsonObject, writeJson } from './s3-json';
import { isValidVersionId } from './version-id';
import { AccessCall, EXAMPLE, IF_NONE_MATCH, listPrefix } from '../../../lib/contracts/access';

const METADATA_FILE = 'metadata.json';
const MAX_HISTORY_ATTEMPTS = 100;
/** Extra, additive file in a version directory: one JSON line per training-data object. */
export const TRAINING_DATA_FILE = 'training-data.jsonl';

/**
 * The model registry of one model name in the model bucket (layout in
 * lib/contracts/registry.ts). Versions are immutable; the champion pointer is the only thing
 * that moves, and every move is appended to the history.
 */
export class ModelRegistry {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly name: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  versionUrl(version: string): string {
    return formatS3Url({ bucket: this.bucket, key: modelKeys.version(this.name, version) });
  }

  /** All versions with metadata, oldest first (version ids sort by creation time). */
  async listVersions(): Promise<ModelMetadata[]> {
    const prefix = joinKey(modelKeys.root(this.name), 'versions') + '/';
    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        versions.push(common.Prefix!.slice(prefix.length).replace(/\/$/, ''));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const found = await Promise.all(versions.sort().map((v) => this.findVersion(v)));
    // A directory without metadata.json is an unfinished write, not a version.
    return found.filter((m): m is ModelMetadata => m !== undefined);
  }

  async getVersion(version: string): Promise<ModelMetadata> {
    const metadata = await this.findVersion(version);
    if (!metadata) throw new VersionNotFoundError(this.name, version);
    return metadata;
  }

  async champion(): Promise<ChampionPointer | undefined> {
    return (await this.readChampion())?.pointer;
  }

  private async readChampion(): Promise<{ pointer: ChampionPointer; etag: string } | undefined> {
    const key = modelKeys.champion(this.name);
    const read = await readJsonObject(this.s3, this.bucket, key);
    return (
      read && { pointer: asChampion(read.value, `s3://${this.bucket}/${key}`), etag: read.etag }
    );
  }

  async championMetadata(): Promise<ModelMetadata | undefined> {
    const pointer = await this.champion();
    return pointer ? this.getVersion(pointer.version) : undefined;
  }

  /**
   * Loads a version's layers model, every file checked against the SHA-256 its metadata
   * recorded. A version registered before hashes were recorded is refused with a
   * ModelIntegrityError, unless `onUnverified` is given: it is then told, and the model loads
   * unchecked (retraining does this, so that the one retrain after an upgrade can start from
   * such a champion and register a verified version).
   */
  async loadLayersModel(
    version: string,
    onUnverified?: (metadata: ModelMetadata) => void,
  ): Promise<tf.LayersModel> {
    const metadata = await this.getVersion(version);
    const url = this.versionUrl(version);
    let digests: FileDigests | 'unverified';
    if (metadata.sha256 === undefined && onUnverified) {
      onUnverified(metadata);
      digests = 'unverified';
    } else {
      digests = recordedDigests(metadata, url);
    }
    return tf.loadLayersModel(s3ModelReader(url, this.s3, digests));
  }

  /**
   * Stores a new immutable version: model files, then the training-data listing, then
   * metadata.json with the SHA-256 of every model file, each by conditional create, so a
   * version is visible only once complete and no file of it is ever overwritten. Returns the
   * metadata as recorded (with `sha256`).
   */
  async registerVersion(
    model: tf.LayersModel,
    metadata: ModelMetadata,
    trainingObjects: readonly object[] = [],
  ): Promise<ModelMetadata> {
    return this.createVersion(metadata, async (root) => {
      const writer = s3ModelWriter(this.versionUrl(metadata.version), this.s3);
      await model.save(writer);
      await this.createFile(
        joinKey(root, TRAINING_DATA_FILE),
        trainingObjects.map((o) => JSON.stringify(o)).join('\n') + '\n',
        'application/x-ndjson',
      );
      return writer.digests;
    });
  }

  /**
   * Stores a new immutable version from model files as they were supplied (gbi models import):
   * `files` maps each path in the version directory to its bytes, the format's main file
   * (model.json, or a SavedModel's saved_model.pb) included. The other files first, the main
   * file next, metadata.json with the SHA-256 of every file last, each by conditional create, as
   * registerVersion does. The caller has validated the files.
   */
  async registerFiles(
    files: ReadonlyMap<string, Uint8Array>,
    metadata: ModelMetadata,
  ): Promise<ModelMetadata> {
    const main = MAIN_MODEL_FILE[metadata.format];
    if (!files.has(main)) throw new Error(`registerFiles: no ${main} among the files`);
    return this.createVersion(metadata, async (root) => {
      const digests: Record<string, string> = {};
      const ordered = [...files.keys()].filter((path) => path !== main).concat(main);
      for (const path of ordered) {
        const bytes = files.get(path)!;
        await this.createFile(
          joinKey(root, path),
          bytes,
          path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        digests[path] = sha256Hex(bytes);
      }
      return digests;
    });
  }

  /**
   * Checks the metadata names a new version of this model, has `writeFiles` write its files
   * under the version root and return their digests, then writes metadata.json with them. A
   * version is new when nothing is under its root yet (a listing, not a read of its metadata:
   * S3 may answer that with 403), so files never land beside those of an existing or
   * half-written version; a writer racing this one still loses on its first conditional create.
   */
  private async createVersion(
    metadata: ModelMetadata,
    writeFiles: (root: string) => Promise<FileDigests>,
  ): Promise<ModelMetadata> {
    if (metadata.name !== this.name) {
      throw new Error(`metadata.name '${metadata.name}' is not registry model '${this.name}'`);
    }
    if (!isValidVersionId(metadata.version)) {
      throw new Error(`metadata.version '${metadata.version}': use letters, digits, . _ -`);
    }
    const root = modelKeys.version(this.name, metadata.version);
    if (await anyKeyUnder(this.s3, this.bucket, root)) {
      throw new VersionExistsError(this.name, metadata.version);
    }
    let digests: FileDigests;
    try {
      digests = await writeFiles(root);
    } catch (error) {
      // Another writer got to this version's files first (a half-written version included).
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      if (error instanceof ModelFileExistsError || status === 412 || status === 409) {
        throw new VersionExistsError(this.name, metadata.version);
      }
      throw error;
    }
    const recorded: ModelMetadata = { ...metadata, sha256: { ...digests } };
    const created = await writeJson(this.s3, this.bucket, joinKey(root, METADATA_FILE), recorded, {
      ifAbsent: true,
    });
    if (!created) throw new VersionExistsError(this.name, metadata.version);
    return recorded;
  }

  /** Creates one file of a version; never replaces one (If-None-Match: *). */
  private async createFile(key: string, body: string | Uint8Array, contentType: string) {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        IfNoneMatch: '*',
      }),
    );
  }

  /** Every promote, reject and rollback event, oldest first. */
  async history(): Promise<PromotionEvent[]> {
    const prefix = modelKeys.historyPrefix(this.name);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith('.json')));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const events = await Promise.all(
      keys
        .sort()
        .map(async (key) =>
          asEvent(await readExistingJson(this.s3, this.bucket, key), `s3://${this.bucket}/${key}`),
        ),
    );
    return events;
  }

  /** Makes `version` the champion unconditionally (the caller has decided) and records why. */
  async promote(version: string, reason: string): Promise<PromotionEvent> {
    return this.moveChampion('promote', version, reason);
  }

  /** Records that `version` was judged and not promoted; the champion stays as it is. */
  async reject(version: string, reason: string): Promise<PromotionEvent> {
    await this.getVersion(version);
    const current = await this.champion();
    return this.appendEvent({
      event: 'reject',
      version,
      ...(current ? { previousVersion: current.version } : {}),
      reason,
    });
  }

  /** Returns the champion to the one it replaced (see rollbackTarget). */
  async rollback(reason = 'rollback to the previous champion'): Promise<PromotionEvent> {
    const current = await this.champion();
    if (!current) throw new NoChampionError(this.name);
    const target = rollbackTarget(await this.history(), current.version);
    if (!target) throw new NoEarlierChampionError(this.name, current.version);
    return this.moveChampion('rollback', target, reason);
  }

  /** Makes any earlier version the champion again, recorded as a rollback. */
  async restore(version: string, reason = `restore version ${version}`): Promise<PromotionEvent> {
    return this.moveChampion('rollback', version, reason);
  }

  private async moveChampion(
    event: 'promote' | 'rollback',
    version: string,
    reason: string,
  ): Promise<PromotionEvent> {
    await this.getVersion(version);
    const read = await this.readChampion();
    const current = read?.pointer;
    const pointer: ChampionPointer = {
      schemaVersion: REGISTRY_SCHEMA_VERSION,
      name: this.name,
      version,
      updatedAt: this.clock().toISOString(),
    };
    // The pointer is the source of truth, so it is written first; the event then records it.
    // Compare-and-swap against the pointer read above: a move made meanwhile by someone else
    // is never silently undone (and the bucket policy refuses blind writes anyway).
    const moved = await writeJson(
      this.s3,
      this.bucket,
      modelKeys.champion(this.name),
      pointer,
      read ? { ifMatch: read.etag } : { ifAbsent: true },
    );
    if (!moved) throw new ChampionMovedError(this.name, version, current?.version);
    return this.appendEvent({
      event,
      version,
      ...(current ? { previousVersion: current.version } : {}),
      reason,
    });
  }

  private async appendEvent(
    fields: Pick<PromotionEvent, 'event' | 'version' | 'previousVersion' | 'reason'>,
  ): Promise<PromotionEvent> {
    // History keys sort by time; a clash within one millisecond moves the event 1 ms later.
    for (let attempt = 0; attempt < MAX_HISTORY_ATTEMPTS; attempt++) {
      const at = new Date(this.clock().getTime() + attempt).toISOString();
      const event: PromotionEvent = {
        schemaVersion: REGISTRY_SCHEMA_VERSION,
        name: this.name,
        ...fields,
        at,
      };
      const key = joinKey(modelKeys.historyPrefix(this.name), `${at}-${fields.event}.json`);
      if (await writeJson(this.s3, this.bucket, key, event, { ifAbsent: true })) return event;
    }
    throw new Error(
      `model '${this.name}': no free history key after ${MAX_HISTORY_ATTEMPTS} tries`,
    );
  }

  private async findVersion(version: string): Promise<ModelMetadata | undefined> {
    if (!isValidVersionId(version)) return undefined;
    const key = joinKey(modelKeys.version(this.name, version), METADATA_FILE);
    const value = await readJson(this.s3, this.bucket, key);
    return value === undefined ? undefined : asMetadata(value, `s3://${this.bucket}/${key}`);
  }
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['trainJob', 'operator'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(`${modelKeys.root(EXAMPLE.modelName)}versions/`),
    why: "lists a model's versions",
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(modelKeys.historyPrefix(EXAMPLE.modelName)),
    why: "lists a model's promotion history",
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [
      { s3: 'models', key: `${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}labels.json` },
    ],
    context: IF_NONE_MATCH,
    why: 'creates the other files of a new version, once (If-None-Match)',
  },
  {
    by: ['trainJob', 'operator'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)),
    why: "tells whether a new version's directory already has files before writing it",
  },
];
