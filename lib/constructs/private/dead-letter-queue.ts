import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * An encrypted, SSL-only dead-letter queue that keeps messages 14 days, the longest SQS allows,
 * so failed work can be investigated and redriven. `of` names what it catches, for cdk-nag.
 */
export function deadLetterQueue(scope: Construct, of: string, queueName?: string): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetterQueue', {
    queueName,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is the dead-letter queue of ${of}.`,
  });
  return queue;
}
