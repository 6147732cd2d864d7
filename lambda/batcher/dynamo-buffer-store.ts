import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { BUFFER_CLAIMS_BY_KEY_INDEX } from '../../lib/contracts/batcher-env';
import { objectVersionId } from '../../lib/contracts/manifest';
import type { BatchCounters, BatchThresholds } from './batch-policy';
import type { BufferItem } from './buffer-item';
import type { BatchHeader, BufferStore, ItemClaim, SubmittedJob } from './buffer-store';
import { sleep } from './retry';
import { AccessCall } from '../../lib/contracts/access';

/**
 * Table layout (partition key `pk`, sort key `sk`, TTL attribute `expiresAt`):
 *   POINTER / CURRENT           the batch new items go to
 *   ACTIVE / <batchId>          batch header: state, counters, lease; queried by the sweep
 *   OBJ#<hash> / CLAIM          which batch an object version belongs to; kept for good, so a
 *                               redelivery or re-upload notification months later is still a duplicate;
 *                               its `objectKey` (<bucket>/<key>) is the partition key of the
 *                               BUFFER_CLAIMS_BY_KEY_INDEX, so `gbi find` lists every version of a key
 *   BATCH#<batchId> / ITEM#<hash>  a member of the batch, read when its manifest is built
 *   BATCH#<batchId> / JOB       the submitted job, kept for status tooling
 * Object identities are hashed because an S3 key alone may use the 1,024 bytes a sort key allows.
 */
const MEMBER_TTL_SECONDS = 30 * 24 * 3600;
/** A submitted header only has to outlive late duplicates in flight; the JOB record stays. */
const SUBMITTED_HEADER_TTL_SECONDS = 24 * 3600;
/** BatchWriteItem takes at most 25 requests (Amazon DynamoDB API Reference, BatchWriteItem). */
const BATCH_WRITE_LIMIT = 25;

const POINTER_KEY = { pk: 'POINTER', sk: 'CURRENT' };
const headerKey = (batchId: string) => ({ pk: 'ACTIVE', sk: batchId });
const itemHash = (item: BufferItem) =>
  createHash('sha256').update(objectVersionId(item)).digest('hex');
const claimKey = (item: BufferItem) => ({ pk: `OBJ#${itemHash(item)}`, sk: 'CLAIM' });
const objectKey = (item: Pick<BufferItem, 'bucket' | 'key'>) => `${item.bucket}/${item.key}`;
const memberPk = (batchId: string) => `BATCH#${batchId}`;
const jobKey = (batchId: string) => ({ pk: memberPk(batchId), sk: 'JOB' });

function isConditionFailure(error: unknown): boolean {
  return (error as Error)?.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write; false when its condition did not hold. */
async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function toHeader(item: Record<string, unknown>): BatchHeader {
  return {
    batchId: item.sk as string,
    state: item.state as BatchHeader['state'],
    createdAt: item.createdAt as number,
    files: item.files as number,
    bytes: item.bytes as number,
    ...(item.oldestItemAt !== undefined ? { oldestItemAt: item.oldestItemAt as number } : {}),
    ...(item.closedAt !== undefined ? { closedAt: item.closedAt as number } : {}),
    ...(item.closeReason !== undefined ? { closeReason: item.closeReason as string } : {}),
    ...(item.leaseOwner !== undefined ? { leaseOwner: item.leaseOwner as string } : {}),
    ...(item.leaseUntil !== undefined ? { leaseUntil: item.leaseUntil as number } : {}),
    ...(item.jobId !== undefined ? { jobId: item.jobId as string } : {}),
  };
}

function toItem(record: Record<string, unknown>): BufferItem {
  return {
    bucket: record.bucket as string,
    key: record.key as string,
    size: record.size as number,
    etag: record.etag as string,
    ...(record.versionId !== undefined ? { versionId: record.versionId as string } : {}),
  };
}

export class DynamoBufferStore implements BufferStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async readCurrentBatchId(): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: POINTER_KEY, ConsistentRead: true }),
    );
    return Item?.batchId as string | undefined;
  }

  publishCurrentBatch(batchId: string, replacing: string | undefined): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...POINTER_KEY, batchId },
          ...(replacing === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'batchId = :replacing',
                ExpressionAttributeValues: { ':replacing': replacing },
              }),
        }),
      ),
    );
  }

  async createBatch(batchId: string, now: number): Promise<void> {
    await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...headerKey(batchId), state: 'OPEN', createdAt: now, files: 0, bytes: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getBatch(batchId: string): Promise<BatchHeader | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: headerKey(batchId), ConsistentRead: true }),
    );
    return Item ? toHeader(Item) : undefined;
  }

  async listUnsubmittedBatches(): Promise<BatchHeader[]> {
    const headers: BatchHeader[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :active',
          FilterExpression: '#state <> :submitted',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':active': 'ACTIVE', ':submitted': 'SUBMITTED' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      headers.push(...(page.Items ?? []).map(toHeader));
      start = page.LastEvaluatedKey;
    } while (start);
    return headers;
  }

  async claimItem(
    item: BufferItem,
    batchId: string,
    now: number,
  ): Promise<{ batchId: string; claimed: boolean }> {
    const claimed = await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...claimKey(item),
            batchId,
            object: objectVersionId(item),
            objectKey: objectKey(item),
            claimedAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return claimed ? { batchId, claimed } : { batchId: await this.claimedBatch(item), claimed };
  }

  async reassignItem(item: BufferItem, from: string, to: string): Promise<string> {
    const moved = await conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(item),
          UpdateExpression: 'SET batchId = :to',
          ConditionExpression: 'batchId = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      ),
    );
    return moved ? to : this.claimedBatch(item);
  }

  private async claimedBatch(item: BufferItem): Promise<string> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: claimKey(item), ConsistentRead: true }),
    );
    if (!Item) {
      throw new Error(`claim of ${objectVersionId(item)} vanished: claims are never deleted`);
    }
    return Item.batchId as string;
  }

  async listClaims(bucket: string, key: string): Promise<ItemClaim[]> {
    const claims: ItemClaim[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BUFFER_CLAIMS_BY_KEY_INDEX,
          KeyConditionExpression: 'objectKey = :key',
          ExpressionAttributeValues: { ':key': objectKey({ bucket, key }) },
          ExclusiveStartKey: start,
        }),
      );
      claims.push(
        ...(page.Items ?? []).map((claim) => ({
          object: claim.object as string,
          batchId: claim.batchId as string,
          claimedAt: claim.claimedAt as number,
        })),
      );
      start = page.LastEvaluatedKey;
    } while (start);
    return claims;
  }

  async reserve(
    batchId: string,
    items: readonly BufferItem[],
    thresholds: BatchThresholds,
    now: number,
  ): Promise<BatchCounters | undefined> {
    const bytes = items.reduce((sum, item) => sum + item.size, 0);
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: headerKey(batchId),
          UpdateExpression:
            'ADD #files :files, #bytes :bytes SET oldestItemAt = if_not_exists(oldestItemAt, :now)',
          // An empty batch takes anything, so one object above max bytes still gets a batch.
          ConditionExpression:
            '#state = :open AND (#files = :zero OR (#files <= :filesLimit AND #bytes <= :bytesLimit))',
          ExpressionAttributeNames: { '#state': 'state', '#files': 'files', '#bytes': 'bytes' },
          ExpressionAttributeValues: {
            ':files': items.length,
            ':bytes': bytes,
            ':now': now,
            ':open': 'OPEN',
            ':zero': 0,
            ':filesLimit': thresholds.maxFiles - items.length,
            ':bytesLimit': thresholds.maxBytes - bytes,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toHeader(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async putMembers(batchId: string, items: readonly BufferItem[], now: number): Promise<void> {
    const expiresAt = Math.floor(now / 1000) + MEMBER_TTL_SECONDS;
    for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
      let requests: NonNullable<
        ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
      >[string] = items.slice(start, start + BATCH_WRITE_LIMIT).map((item) => ({
        PutRequest: {
          Item: { pk: memberPk(batchId), sk: `ITEM#${itemHash(item)}`, ...item, expiresAt },
        },
      }));
      // Unprocessed items are throttled ones; back off as the API reference asks.
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const { UnprocessedItems } = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async listMembers(batchId: string): Promise<BufferItem[]> {
    const items: BufferItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': memberPk(batchId), ':item': 'ITEM#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []).map(toItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  closeBatch(batchId: string, reason: string, now: number): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: headerKey(batchId),
          UpdateExpression: 'SET #state = :closed, closedAt = :now, closeReason = :reason',
          ConditionExpression: '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':closed': 'CLOSED',
            ':open': 'OPEN',
            ':now': now,
            ':reason': reason,
          },
        }),
      ),
    );
  }

  acquireSubmitLease(
    batchId: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: headerKey(batchId),
          UpdateExpression: 'SET #state = :submitting, leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: '#state = :closed OR (#state = :submitting AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':submitting': 'SUBMITTING',
            ':closed': 'CLOSED',
            ':owner': owner,
            ':until': leaseUntil,
            ':now': now,
          },
        }),
      ),
    );
  }

  async releaseSubmitLease(batchId: string, owner: string): Promise<void> {
    await conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: headerKey(batchId),
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: '#state = :submitting AND leaseOwner = :owner',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':zero': 0, ':submitting': 'SUBMITTING', ':owner': owner },
        }),
      ),
    );
  }

  async markSubmitted(
    batchId: string,
    owner: string,
    job: SubmittedJob,
    now: number,
  ): Promise<boolean> {
    // The JOB record first: if we die before the header update, the next lease holder finds the
    // same job by name and writes the same record again.
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...jobKey(batchId), ...job, submittedAt: now },
      }),
    );
    return conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: headerKey(batchId),
          UpdateExpression:
            'SET #state = :submitted, submittedAt = :now, expiresAt = :expires' +
            (job.jobId ? ', jobId = :jobId' : '') +
            ' REMOVE leaseOwner, leaseUntil',
          ConditionExpression: '#state = :submitting AND leaseOwner = :owner',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':submitted': 'SUBMITTED',
            ':submitting': 'SUBMITTING',
            ':owner': owner,
            ':now': now,
            ':expires': Math.floor(now / 1000) + SUBMITTED_HEADER_TTL_SECONDS,
            ...(job.jobId ? { ':jobId': job.jobId } : {}),
          },
        }),
      ),
    );
  }

  async getSubmittedJob(batchId: string): Promise<SubmittedJob | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: jobKey(batchId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      manifestUrl: Item.manifestUrl as string,
      fileCount: Item.fileCount as number,
      shardCount: Item.shardCount as number,
      ...(Item.jobId ? { jobId: Item.jobId as string, jobName: Item.jobName as string } : {}),
    };
  }
}

/** The AWS calls of this module (lib/contracts/access.ts); `gbi submit` makes them too. */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['batcher', 'operator'],
    sdk: 'GetCommand',
    action: 'dynamodb:GetItem',
    resources: [{ arn: 'bufferTable' }],
    why: 'reads the open-batch pointer, batch headers, claims and submitted jobs',
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'PutCommand',
    action: 'dynamodb:PutItem',
    resources: [{ arn: 'bufferTable' }],
    why: 'creates the pointer, batch headers, claims, members and job records (conditional puts)',
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'UpdateCommand',
    action: 'dynamodb:UpdateItem',
    resources: [{ arn: 'bufferTable' }],
    why: 'counts items into a batch and moves its state and lease',
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'QueryCommand',
    action: 'dynamodb:Query',
    resources: [{ arn: 'bufferTable' }],
    why: "reads a batch's members and the open batches the sweep closes",
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'QueryCommand',
    action: 'dynamodb:Query',
    resources: [{ arn: 'bufferTable', suffix: `index/${BUFFER_CLAIMS_BY_KEY_INDEX}` }],
    why: "lists an object key's claims (gbi find)",
  },
  {
    by: ['batcher', 'operator'],
    sdk: 'BatchWriteCommand',
    action: 'dynamodb:BatchWriteItem',
    resources: [{ arn: 'bufferTable' }],
    why: "writes a batch's members 25 at a time",
  },
];
