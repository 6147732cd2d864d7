import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** A unique, valid bucket or queue name so tests sharing one emulator never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createBucket(s3: S3Client, name = uniqueName('bucket')): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export interface TestQueue {
  readonly url: string;
  readonly arn: string;
}

export async function createQueue(sqs: SQSClient, name = uniqueName('queue')): Promise<TestQueue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Wires ObjectCreated notifications of `bucket` (optionally filtered) to `queue`, as the stack does. */
export async function notifyQueueOnCreate(
  s3: S3Client,
  bucket: string,
  queue: TestQueue,
  filter: { prefix?: string; suffix?: string } = {},
): Promise<void> {
  const rules = [
    ...(filter.prefix ? [{ Name: 'prefix' as const, Value: filter.prefix }] : []),
    ...(filter.suffix ? [{ Name: 'suffix' as const, Value: filter.suffix }] : []),
  ];
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*'],
            ...(rules.length > 0 ? { Filter: { Key: { FilterRules: rules } } } : {}),
          },
        ],
      },
    }),
  );
}

/** How long a test waits for messages or events: emulators deliver S3 notifications asynchronously. */
export const DELIVERY_DEADLINE_MS = 15_000;

/**
 * Receives (and keeps) messages until `done` holds for what arrived or the deadline passes, and
 * returns what arrived either way, so the caller's assertion shows the difference. Empty polls
 * do not end the wait: LocalStack delivers S3 notifications seconds after the PutObject.
 */
export async function receiveUntil(
  sqs: SQSClient,
  queueUrl: string,
  done: (messages: readonly Message[]) => boolean,
  deadlineMs = DELIVERY_DEADLINE_MS,
): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + deadlineMs;
  while (!done(messages) && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        // Short long-polls keep the overshoot past the deadline under a second.
        WaitTimeSeconds: 1,
      }),
    );
    messages.push(...Messages);
  }
  return messages;
}

/** Receives until `count` messages arrived or the deadline passed. */
export function receiveAll(sqs: SQSClient, queueUrl: string, count: number): Promise<Message[]> {
  return receiveUntil(sqs, queueUrl, (messages) => messages.length >= count);
}
