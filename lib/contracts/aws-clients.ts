import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients for the Lambda, the worker, the CLI and the tests. The SDK itself reads
 * AWS_ENDPOINT_URL (emulator) and the region; S3 also needs path-style addressing there,
 * because bucket-named hosts under 127.0.0.1 do not resolve. `endpoint` overrides
 * AWS_ENDPOINT_URL for one client (the latency benchmark's proxy).
 *
 * The SDK's connection pool holds 50 sockets by default and queues every request past them,
 * which silently capped the worker's `--concurrency` at 50. Callers bound their own requests in
 * flight (the worker by `--concurrency`), so the pool is not bounded again here.
 */
export function s3Client(endpoint?: string): S3Client {
  const agent = { keepAlive: true, maxSockets: Infinity };
  return new S3Client({
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle:
      process.env.AWS_S3_FORCE_PATH_STYLE === 'true' ||
      Boolean(endpoint ?? process.env.AWS_ENDPOINT_URL),
    requestHandler: { httpAgent: agent, httpsAgent: agent },
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
