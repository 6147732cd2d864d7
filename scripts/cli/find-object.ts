import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import { BatchManifest, objectVersionId } from '../../lib/contracts/manifest';
import type { ErrorRecord, ResultRecord } from '../../lib/contracts/records';
import { getObjectIfExists, keyExists } from '../../lib/contracts/s3-key-presence';
import { S3Location, unquoteEtag } from '../../lib/contracts/s3-location';
import type { BufferStore, ItemClaim } from '../../lambda/batcher/buffer-store';
import { jsonLines } from '../shared/s3-reads';
import { readManifest } from './batch-results';
import { MissingResourceError } from './errors';

/** A version of the object as the input bucket lists it now. */
export interface ListedVersion {
  /** Absent in a bucket that was never versioned (S3 lists the version id "null"). */
  readonly versionId?: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified?: Date;
  readonly isLatest: boolean;
}

/** What became of one version of the object. */
export type VersionFate =
  | { readonly kind: 'not-seen' }
  | { readonly kind: 'waiting'; readonly batchId: string; readonly openSince: number }
  | {
      readonly kind: 'closed';
      readonly batchId: string;
      readonly closedAt?: number;
      readonly closeReason?: string;
    }
  /** Claimed by a submitted batch whose manifest does not name it: a defect worth reporting. */
  | { readonly kind: 'not-in-manifest'; readonly batchId: string }
  | {
      readonly kind: 'in-shard';
      readonly batchId: string;
      readonly shard: number;
      readonly jobId?: string;
      /** The shard wrote its summary, so its results and errors are complete. */
      readonly shardFinished: boolean;
      readonly results: readonly ResultRecord[];
      readonly errors: readonly ErrorRecord[];
    };

export interface VersionReport {
  /** objectVersionId of the version: `<bucket>/<key>#<versionId or etag>`. */
  readonly object: string;
  /** Absent for a version the bucket no longer lists (deleted, or overwritten when unversioned). */
  readonly listed?: ListedVersion;
  readonly fate: VersionFate;
}

/**
 * Every version of exactly `location.key`, newest first. Keys sort, so the listing stops at
 * the first longer key that shares the prefix instead of listing everything under it.
 */
async function listVersions(s3: S3Client, location: S3Location): Promise<ListedVersion[]> {
  const versions: ListedVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: location.bucket,
        Prefix: location.key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    const all = page.Versions ?? [];
    for (const version of all.filter((v) => v.Key === location.key)) {
      versions.push({
        ...(version.VersionId && version.VersionId !== 'null'
          ? { versionId: version.VersionId }
          : {}),
        etag: unquoteEtag(version.ETag ?? ''),
        size: version.Size ?? 0,
        ...(version.LastModified ? { lastModified: version.LastModified } : {}),
        isLatest: version.IsLatest === true,
      });
    }
    const passedKey = [...all, ...(page.DeleteMarkers ?? [])].some((v) => v.Key !== location.key);
    if (!page.IsTruncated || passedKey) return versions;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/**
 * A version is claimed under its version id, live or backfilled; backfills from before the
 * backfill listed versions claimed it under its ETag. Either claim belongs to the listed version.
 */
function identitiesOf(location: S3Location, version: ListedVersion): string[] {
  const byEtag = objectVersionId({ ...location, etag: version.etag });
  return version.versionId
    ? [objectVersionId({ ...location, etag: version.etag, versionId: version.versionId }), byEtag]
    : [byEtag];
}

/** Pairs the listed versions with the buffer's claims: one row per claim, one per unseen version. */
export function pairVersions(
  location: S3Location,
  listed: readonly ListedVersion[],
  claims: readonly ItemClaim[],
): { readonly object: string; readonly listed?: ListedVersion; readonly claim?: ItemClaim }[] {
  const rows: { object: string; listed?: ListedVersion; claim?: ItemClaim }[] = [];
  const paired = new Set<ItemClaim>();
  for (const version of listed) {
    const identities = identitiesOf(location, version);
    const mine = claims.filter((claim) => !paired.has(claim) && identities.includes(claim.object));
    mine.forEach((claim) => paired.add(claim));
    if (mine.length === 0) rows.push({ object: identities[0], listed: version });
    for (const claim of mine) rows.push({ object: claim.object, listed: version, claim });
  }
  // Newest claim first, like the listing.
  for (const claim of [...claims].reverse().filter((c) => !paired.has(c))) {
    rows.push({ object: claim.object, claim });
  }
  return rows;
}

/** A shard's output file, empty while the shard has not written it. */
async function readOptional(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await getObjectIfExists(s3, { Bucket: bucket, Key: key });
  return response ? response.Body!.transformToString('utf-8') : '';
}

interface ShardOutput {
  readonly results: readonly ResultRecord[];
  readonly errors: readonly ErrorRecord[];
  readonly finished: boolean;
}

/** Reads each manifest and shard once, however many versions share them. */
class BatchReader {
  private readonly manifests = new Map<string, Promise<BatchManifest | undefined>>();
  private readonly shards = new Map<string, Promise<ShardOutput>>();

  constructor(
    private readonly s3: S3Client,
    private readonly resultsBucket: string,
  ) {}

  manifest(batchId: string): Promise<BatchManifest | undefined> {
    let manifest = this.manifests.get(batchId);
    if (!manifest) {
      manifest = readManifest(this.s3, this.resultsBucket, batchId).catch((error: unknown) => {
        if (error instanceof MissingResourceError) return undefined;
        throw error;
      });
      this.manifests.set(batchId, manifest);
    }
    return manifest;
  }

  shard(batchId: string, shard: number): Promise<ShardOutput> {
    const id = `${batchId}/${shard}`;
    let output = this.shards.get(id);
    if (!output) {
      const bucket = this.resultsBucket;
      output = Promise.all([
        readOptional(this.s3, bucket, resultKeys.results(batchId, shard)),
        readOptional(this.s3, bucket, resultKeys.errors(batchId, shard)),
        keyExists(this.s3, bucket, resultKeys.summary(batchId, shard)),
      ]).then(([results, errors, finished]) => ({
        results: jsonLines<ResultRecord>(results),
        errors: jsonLines<ErrorRecord>(errors),
        finished,
      }));
      this.shards.set(id, output);
    }
    return output;
  }
}

async function fateOf(
  claim: ItemClaim,
  store: BufferStore,
  reader: BatchReader,
): Promise<VersionFate> {
  const { batchId } = claim;
  const header = await store.getBatch(batchId);
  if (header?.state === 'OPEN') return { kind: 'waiting', batchId, openSince: header.createdAt };
  if (header && header.state !== 'SUBMITTED') {
    return {
      kind: 'closed',
      batchId,
      ...(header.closedAt !== undefined ? { closedAt: header.closedAt } : {}),
      ...(header.closeReason !== undefined ? { closeReason: header.closeReason } : {}),
    };
  }
  const manifest = await reader.manifest(batchId);
  const index = manifest?.items.findIndex((item) => objectVersionId(item) === claim.object) ?? -1;
  if (!manifest || index < 0) return { kind: 'not-in-manifest', batchId };
  const shard = Math.floor(index / manifest.shardSize);
  const [output, job] = await Promise.all([
    reader.shard(batchId, shard),
    store.getSubmittedJob(batchId),
  ]);
  const mine = (record: ResultRecord | ErrorRecord) =>
    objectVersionId(record.source) === claim.object;
  return {
    kind: 'in-shard',
    batchId,
    shard,
    ...(job?.jobId ? { jobId: job.jobId } : {}),
    shardFinished: output.finished,
    results: output.results.filter(mine),
    errors: output.errors.filter(mine),
  };
}

/**
 * What became of every version of an input object: the versions the bucket lists and those only
 * the buffer remembers, each with its batch and shard and its result or error records, or where
 * it waits. Reads one index query, one listing, and per batch its header, manifest and the one
 * shard that holds the version; never a scan of all results.
 */
export async function findObject(
  location: S3Location,
  deps: { readonly s3: S3Client; readonly store: BufferStore; readonly resultsBucket: string },
): Promise<VersionReport[]> {
  const [listed, claims] = await Promise.all([
    listVersions(deps.s3, location),
    deps.store.listClaims(location.bucket, location.key),
  ]);
  if (listed.length === 0 && claims.length === 0) {
    throw new MissingResourceError(
      `s3://${location.bucket}/${location.key}: no such key in the input bucket, and the buffer has no record of it`,
    );
  }
  const reader = new BatchReader(deps.s3, deps.resultsBucket);
  return Promise.all(
    pairVersions(location, listed, claims).map(async (row) => ({
      object: row.object,
      ...(row.listed ? { listed: row.listed } : {}),
      fate: row.claim
        ? await fateOf(row.claim, deps.store, reader)
        : ({ kind: 'not-seen' } as const),
    })),
  );
}
