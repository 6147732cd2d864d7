import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Message, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { s3Client, sqsClient } from '../../lib/contracts/aws-clients';
import {
  createBucket,
  createQueue,
  notifyQueueOnCreate,
  receiveAll,
  receiveUntil,
} from '../helpers/emulator-resources';
import { describeOnEmulator } from '../helpers/describe-on-emulator';

const s3 = s3Client();
const sqs = sqsClient();

/** The object keys of the S3 events among the messages (S3's s3:TestEvent has no Records). */
function keysIn(messages: readonly Message[]): string[] {
  return messages
    .map((message) => JSON.parse(message.Body!) as Partial<S3Event>)
    .flatMap((event) => event.Records ?? [])
    .map((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
}

describeOnEmulator(['s3', 'sqs'], 'S3 to SQS notifications on the emulator', () => {
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
    const messages = await receiveUntil(sqs, queue.url, (m) => keysIn(m).length >= keys.length);
    expect(keysIn(messages).sort()).toEqual([...keys].sort());
  });

  it('sends nothing for objects outside the configured prefix', async () => {
    // given a bucket whose incoming/ prefix notifies a queue
    const bucket = await createBucket(s3);
    const queue = await createQueue(sqs);
    await notifyQueueOnCreate(s3, bucket, queue, { prefix: 'incoming/' });

    // when an object lands elsewhere, then one under the prefix
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/file.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/last.png', Body: 'x' }));

    // then by the time the later object's event arrived, no event of the earlier one did
    const messages = await receiveUntil(sqs, queue.url, (m) =>
      keysIn(m).includes('incoming/last.png'),
    );
    expect(keysIn(messages)).toEqual(['incoming/last.png']);
  });
});

describeOnEmulator(['sqs'], 'waiting for messages on the emulator', () => {
  it('receives a message that arrives after several empty polls', async () => {
    // given a queue and a message delayed past a few one-second polls
    const queue = await createQueue(sqs);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'late', DelaySeconds: 4 }),
    );

    // when the test waits for one message
    const messages = await receiveAll(sqs, queue.url, 1);

    // then it arrives within the deadline
    expect(messages.map((m) => m.Body)).toEqual(['late']);
  });
});
