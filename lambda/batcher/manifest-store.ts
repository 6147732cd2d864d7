import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import { BatchManifest, validateManifest } from '../../lib/contracts/manifest';
import { formatS3Url } from '../../lib/contracts/s3-location';
import { ManifestConflictError } from './errors';
import { AccessCall, EXAMPLE, IF_NONE_MATCH, listPrefix } from '../../lib/contracts/access';

/** Manifests in the results bucket under manifests/<batchId>/manifest.json, each written once. */
export class ManifestStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  url(batchId: string): string {
    return formatS3Url({ bucket: this.bucket, key: resultKeys.manifest(batchId) });
  }

  async read(batchId: string): Promise<BatchManifest | undefined> {
    try {
      const { Body } = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: resultKeys.manifest(batchId) }),
      );
      const manifest = validateManifest(JSON.parse(await Body!.transformToString()));
      if (manifest.batchId !== batchId) {
        throw new ManifestConflictError(
          `${this.url(batchId)}: batchId is '${manifest.batchId}', expected '${batchId}'`,
        );
      }
      return manifest;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
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
    const winner = await this.read(manifest.batchId);
    if (!winner) {
      throw new ManifestConflictError(
        `${this.url(manifest.batchId)}: conditional create lost, yet no manifest is readable`,
      );
    }
    return winner;
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
  // S3 answers a GetObject of a missing key with NoSuchKey only to a caller that may list it,
  // else with AccessDenied: Amazon S3 API Reference, GetObject, permissions.
  {
    by: ['batcher', 'operator'],
    sdk: 'GetObjectCommand',
    action: 's3:ListBucket',
    resources: [{ s3: 'results' }],
    context: listPrefix(resultKeys.manifest(EXAMPLE.batchId)),
    why: 'a manifest not yet created reads as NoSuchKey, which read() takes as absent',
  },
];
