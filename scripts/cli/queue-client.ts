import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * An SQS client for the queue URLs in stack outputs. The SDK sends a request to the host of
 * the QueueUrl it names; queues made by the emulator's CloudFormation carry AWS hostnames
 * (sqs.<region>.amazonaws.com), so with AWS_ENDPOINT_URL set the configured endpoint must win.
 */
export function queueClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL });
}
