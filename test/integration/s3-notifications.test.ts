import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { s3Client, sqsClient } from '../../lib/contracts/aws-clients';
import {
  createBucket,
  createQueue,
  notifyQueueOnCreate,
  receiveAll,
} from '../helpers/emulator-resources';

const s3 = s3Client();
const sqs = sqsClient();

function keysIn(bodies: string[]): string[] {
  return bodies
    .map((body) => JSON.parse(body) as Partial<S3Event>)
    .flatMap((event) => event.Records ?? [])
    .map((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
}

describe('S3 to SQS notifications on the emulator', () => {
  it('delivers an ObjectCreated event for every object put under the input prefix, odd keys included', async () => {
    // given a bucket whose incoming/ prefix notifies a queue
    const bucket = await createBucket(s3);
    const queue = await createQueue(sqs);
    await notifyQueueOnCreate(s3, bucket, queue, { prefix: 'incoming/' });
    const keys = [
      'incoming/plain.png',
      'incoming/with space.png',
      'incoming/a+b.png',
      'incoming/zürich 東京.png',
    ];

    // when objects are put under the prefix
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    }

    // then each arrives once as an S3 event, with its key recoverable by S3's URL decoding
    const messages = await receiveAll(sqs, queue.url, keys.length);
    expect(keysIn(messages.map((m) => m.Body!)).sort()).toEqual([...keys].sort());
  });

  it('sends nothing for objects outside the configured prefix', async () => {
    // given a bucket whose incoming/ prefix notifies a queue
    const bucket = await createBucket(s3);
    const queue = await createQueue(sqs);
    await notifyQueueOnCreate(s3, bucket, queue, { prefix: 'incoming/' });

    // when an object lands elsewhere
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/file.png', Body: 'x' }));

    // then only the configuration test event, if any, is on the queue
    const messages = await receiveAll(sqs, queue.url, 1);
    expect(keysIn(messages.map((m) => m.Body!))).toEqual([]);
  });
});
