import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { inferJobName } from '../../../lib/contracts/job-contract';
import { resultKeys } from '../../../lib/contracts/keys';
import { DynamoBufferStore } from '../../../lambda/batcher/dynamo-buffer-store';
import {
  BatchResources,
  createBatchResources,
  jobsNamed,
  readManifests,
} from '../../helpers/batcher-emulator-resources';
import { handler } from '../../../lambda/batcher/handler';
import {
  batcherEnvironment,
  createTestbed,
  lambdaContext,
  BATCHER_SERVICES,
} from '../../helpers/batcher-harness';
import {
  createBucket,
  createQueue,
  notifyQueueOnCreate,
  receiveAll,
} from '../../helpers/emulator-resources';
import { sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

const UPLOAD_SERVICES = [...BATCHER_SERVICES, 'sqs' as const];
const sqs = sqsClient();
let shared: BatchResources;

// The handler reads its configuration from process.env, which jest workers share across files.
const savedEnv = { ...process.env };
const deliveryOf = (messages: Message[]) =>
  sqsEvent(...messages.map((m) => sqsRecord(m.Body!, m.MessageId!)));

describeOnEmulator(UPLOAD_SERVICES, 'batcher from real uploads to a submitted job', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it('writes the manifest of real uploads and submits one array job with a child per shard', async () => {
    // given an input bucket notifying a queue, and a batcher that closes at 3 files in shards of 2
    const input = await createBucket(s3Client());
    const bed = await createTestbed(
      { inputBucket: input, thresholds: { maxFiles: 3, maxBytes: 1024 ** 3, maxWaitMs: 300_000 } },
      shared,
    );
    const queue = await createQueue(sqs);
    await notifyQueueOnCreate(bed.s3, input, queue, { prefix: 'incoming/' });
    const bodies: Record<string, string> = {
      'incoming/with space.png': 'aa',
      'incoming/a+b.png': 'bbbb',
      'incoming/zürich 東京.png': 'cccccc',
    };
    const etags: Record<string, string> = {};
    for (const [key, body] of Object.entries(bodies)) {
      const { ETag } = await bed.s3.send(
        new PutObjectCommand({ Bucket: input, Key: key, Body: body }),
      );
      etags[key] = ETag!.replace(/"/g, '');
    }

    // when the exported handler, configured by its environment, runs on what the queue returns
    Object.assign(process.env, batcherEnvironment(bed.config));
    const messages = await receiveAll(sqs, queue.url, 3);
    const response = (await handler(deliveryOf(messages), lambdaContext())) as SQSBatchResponse;

    // then one manifest lists exactly the uploads, and one array job of 2 children runs it
    expect(response.batchItemFailures).toEqual([]);
    const manifests = await readManifests(bed.s3, bed.config.resultsBucket);
    expect(manifests).toHaveLength(1);
    const [manifest] = manifests;
    expect(manifest).toEqual({
      schemaVersion: 1,
      batchId: manifest.batchId,
      createdAt: manifest.createdAt,
      model: { name: 'digits' },
      shardSize: 2,
      shardCount: 2,
      items: Object.keys(bodies)
        .sort()
        .map((key) => ({ bucket: input, key, size: bodies[key].length, etag: etags[key] })),
    });
    const jobs = await jobsNamed(bed.batch, bed.config.jobQueue, inferJobName(manifest.batchId));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      jobName: inferJobName(manifest.batchId),
      jobDefinition: bed.config.inferJobDefinition,
      arrayProperties: { size: 2 },
      parameters: {
        manifest: `s3://${bed.config.resultsBucket}/${resultKeys.manifest(manifest.batchId)}`,
      },
    });
    const store = new DynamoBufferStore(bed.dynamo, bed.config.bufferTable);
    expect((await store.getSubmittedJob(manifest.batchId))?.jobId).toBe(jobs[0].jobId);
  });
});
