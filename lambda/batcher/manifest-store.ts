import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import { BatchManifest, validateManifest } from '../../lib/contracts/manifest';
import { getExistingObject, getObjectIfExists } from '../../lib/contracts/s3-key-presence';
import { formatS3Url } from '../../lib/contracts/s3-location';
import { ManifestConflictError } from './errors';
import { AccessCall, EXAMPLE, IF_NONE_MATCH, listPrefix } from '../../lib/contracts/access';

/**
 * Manifests in the results bucket under manifests/<batchId>/manifest.json, each written once.
 * Nothing here reads a manifest to learn whether it exists (S3 may answer a missing key with
 * 403, lib/contracts/s3-key-presence.ts): a new one is created first, and read on conflict.
 */
export class ManifestStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  url(batchId: string): string {
    return formatS3Url({ bucket: this.bucket, key: resultKeys.manifest(batchId) });
  }

  private parse(batchId: string, text: string): BatchManifest {
    const manifest = validateManifest(JSON.parse(text));
    if (manifest.batchId !== batchId) {
      throw new ManifestConflictError(
        `${this.url(batchId)}: batchId is '${manifest.batchId}', expected '${batchId}'`,
      );
    }
    return manifest;
  }

  /** The manifest of a batch that has one (created, or SUBMITTED); a failure names the key. */
  async read(batchId: string): Promise<BatchManifest> {
    const { Body } = await getExistingObject(this.s3, {
      Bucket: this.bucket,
      Key: resultKeys.manifest(batchId),
    });
    return this.parse(batchId, await Body!.transformToString());
  }

  /**
   * The manifest if one was ever written, for a batch whose header is gone: its absence is
   * asked of a listing with the manifest's key as the prefix.
   */
  async find(batchId: string): Promise<BatchManifest | undefined> {
    const response = await getObjectIfExists(this.s3, {
      Bucket: this.bucket,
      Key: resultKeys.manifest(batchId),
    });
    return response && this.parse(batchId, await response.Body!.transformToString());
  }

  /**
   * Creates the manifest unless one exists (If-None-Match: *, S3's conditional create:
   * Amazon S3 User Guide, "Add preconditions to S3 operations with conditional writes"). Returns the
   * manifest that is in S3 afterwards: ours, or the one an earlier writer won with.
   */
  async createOnce(manifest: BatchManifest): Promise<BatchManifest> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: resultKeys.manifest(manifest.batchId),
          Body: JSON.stringify(manifest),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return manifest;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      // 412: it exists; 409: a concurrent conditional write is in flight and will win.
      if (status !== 412 && status !== 409) throw error;
    }
    try {
      return await this.read(manifest.batchId);
    } catch (error) {
      if (error instanceof ManifestConflictError) throw error;
      throw new ManifestConflictError(
        `${this.url(manifest.batchId)}: conditional create lost, yet the manifest is not readable (${(error as Error).message})`,
      );
    }
  }
}

/** The AWS calls of this module (lib/contracts/access.ts); `gbi submit` makes them too. */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['batcher', 'operator'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [{ s3: 'results', key: resultKeys.manifest(EXAMPLE.batchId) }],
    why: "reads a batch's manifest back before creating it, and after a conflict",
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'results', key: resultKeys.manifest(EXAMPLE.batchId) }],
    context: IF_NONE_MATCH,
    why: "creates a batch's manifest, once (If-None-Match)",
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'results' }],
    context: listPrefix(resultKeys.manifest(EXAMPLE.batchId)),
    why: 'tells a manifest not there from a refused read, listing with the key as prefix',
  },
];
