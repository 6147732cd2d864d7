import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { accountQueueDestination } from './private/account-queue-destination';
import { deadLetterQueue } from './private/dead-letter-queue';
import type { AccessCall } from '../contracts/access';

export interface IngestQueueProps {
  /** Bucket whose ObjectCreated events are queued. */
  readonly inputBucket: s3.IBucket;
  /**
   * Only keys under this prefix are queued.
   * @default '' (every key)
   */
  readonly prefix?: string;
  /**
   * Only keys ending in one of these are queued; one notification rule per suffix.
   * @default [] (every key)
   */
  readonly suffixes?: readonly string[];
  /** Timeout of the function consuming the queue; the visibility timeout is derived from it. */
  readonly consumerTimeout: Duration;
  /**
   * Batching window of the consuming event source.
   * @default Duration.seconds(0)
   */
  readonly consumerBatchingWindow?: Duration;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Physical queue name prefix.
   * @default - generated names
   */
  readonly namePrefix?: string;
}

/** S3 ObjectCreated notifications into an encrypted, SSL-only SQS queue with a dead-letter queue. */
export class IngestQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    const window = props.consumerBatchingWindow ?? Duration.seconds(0);

    this.deadLetterQueue = deadLetterQueue(
      this,
      'the ingest queue',
      props.namePrefix ? `${props.namePrefix}-ingest-dlq` : undefined,
    );

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.namePrefix ? `${props.namePrefix}-ingest` : undefined,
      // SQS-managed SSE: S3 can publish to it without a KMS key policy.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: ingestVisibilityTimeout(props.consumerTimeout, window),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    const destination = accountQueueDestination(this.queue);
    const prefix = props.prefix ?? '';
    const suffixes = props.suffixes && props.suffixes.length > 0 ? props.suffixes : [undefined];
    for (const suffix of suffixes) {
      props.inputBucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, {
        ...(prefix ? { prefix } : {}),
        ...(suffix ? { suffix } : {}),
      });
    }
  }
}

/**
 * AWS asks for a visibility timeout of at least six times the function timeout, plus the
 * batching window, so messages are not redelivered while a retried invocation still holds them:
 * AWS Lambda Developer Guide, "Creating and configuring an Amazon SQS event source mapping", queue configuration
 */
export function ingestVisibilityTimeout(
  functionTimeout: Duration,
  batchingWindow: Duration,
): Duration {
  return Duration.seconds(6 * functionTimeout.toSeconds() + batchingWindow.toSeconds());
}

/** What S3 does for the ingest queue (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['s3Notifications'],
    sdk: 's3:notification',
    action: 'sqs:SendMessage',
    resources: [{ arn: 'ingestQueue' }],
    why: "S3 queues the input bucket's ObjectCreated notifications",
  },
];
