import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients for the Lambda, the worker, the CLI and the tests. The SDK itself reads
 * AWS_ENDPOINT_URL (emulator) and the region; S3 also needs path-style addressing there,
 * because bucket-named hosts under 127.0.0.1 do not resolve.
 */
export function s3Client(): S3Client {
  return new S3Client({
    forcePathStyle:
      process.env.AWS_S3_FORCE_PATH_STYLE === 'true' || Boolean(process.env.AWS_ENDPOINT_URL),
  });
}

/**
 * The SDK sends SQS requests to the host of the QueueUrl they name; queues made by the emulator's
 * CloudFormation carry AWS hostnames (sqs.<region>.amazonaws.com), so with AWS_ENDPOINT_URL set
 * the configured endpoint must win.
 */
export function sqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL });
}

export function batchClient(): BatchClient {
  return new BatchClient({});
}

export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({});
}
