import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { parsePartMetaKey, PartMeta, PartRange, partKeys } from './checkpoint-parts';
import type { PartContent } from './part-buffer';
import { AccessCall, EXAMPLE, listPrefix } from '../../../../lib/contracts/access';
import { resultKeys } from '../../../../lib/contracts/keys';

/** Checkpoint parts of one shard under resultKeys.checkpointPrefix, in the results bucket. */
export class CheckpointStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  private async keys(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          ContinuationToken: token,
        }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  /** Ranges of the complete parts (those whose metadata object exists). */
  async listParts(): Promise<PartRange[]> {
    return (await this.keys())
      .map(parsePartMetaKey)
      .filter((range): range is PartRange => range !== undefined);
  }

  private async getText(key: string): Promise<string> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return response.Body!.transformToString('utf-8');
  }

  async readMeta(range: PartRange): Promise<PartMeta> {
    return JSON.parse(await this.getText(partKeys.meta(this.prefix, range))) as PartMeta;
  }

  async readResults(range: PartRange): Promise<string> {
    return this.getText(partKeys.results(this.prefix, range));
  }

  async readErrors(range: PartRange): Promise<string> {
    return this.getText(partKeys.errors(this.prefix, range));
  }

  /** Data objects first, metadata last: a visible metadata object means a complete part. */
  async writePart(part: PartContent): Promise<void> {
    const put = (key: string, body: string, contentType: string) =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          // Given, because the SDK cannot tell an empty part body's length by itself.
          ContentLength: Buffer.byteLength(body),
          ContentType: contentType,
        }),
      );
    await Promise.all([
      put(partKeys.results(this.prefix, part.meta), part.results, 'application/x-ndjson'),
      put(partKeys.errors(this.prefix, part.meta), part.errors, 'application/x-ndjson'),
    ]);
    await put(partKeys.meta(this.prefix, part.meta), JSON.stringify(part.meta), 'application/json');
  }

  /** Removes every checkpoint object once the shard's final outputs are written. */
  async deleteAll(): Promise<void> {
    const keys = await this.keys();
    // DeleteObjects takes at most 1000 keys per request.
    for (let i = 0; i < keys.length; i += 1000) {
      await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
    }
  }
}

/** A checkpoint key of the example shard, for the declarations. */
const CHECKPOINT = resultKeys.checkpointPrefix(EXAMPLE.batchId, 0);

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'results' }],
    context: listPrefix(CHECKPOINT),
    why: "lists the shard's checkpoint parts when it resumes",
  },
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [{ s3: 'results', key: `${CHECKPOINT}part-00000.results.jsonl` }],
    why: 'reads a checkpoint part back when it resumes or concatenates the parts',
  },
  {
    by: ['inferJob'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'results', key: `${CHECKPOINT}part-00000.results.jsonl` }],
    why: 'writes a checkpoint part of scored records',
  },
  {
    by: ['inferJob'],
    sdk: 'DeleteObjectsCommand',
    action: 's3:DeleteObject',
    resources: [{ s3: 'results', key: `${CHECKPOINT}part-00000.results.jsonl` }],
    why: "deletes the shard's checkpoint parts once its outputs are written",
  },
];
