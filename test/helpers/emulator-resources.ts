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

/** Receives until `count` messages arrived or the queue stays empty for one long poll. */
export async function receiveAll(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
): Promise<Message[]> {
  const messages: Message[] = [];
  for (let idle = 0; messages.length < count && idle < 2;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    idle = Messages.length === 0 ? idle + 1 : 0;
    messages.push(...Messages);
  }
  return messages;
}
