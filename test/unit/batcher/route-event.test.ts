import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../../../lambda/batcher/config';
import { createBatcherContext } from '../../../lambda/batcher/create-context';
import { EventParseError } from '../../../lambda/batcher/errors';
import { routeEvent } from '../../../lambda/batcher/route-event';

const config = loadConfig({
  BUFFER_TABLE_NAME: 'buffer',
  RESULTS_BUCKET: 'results',
  JOB_QUEUE_ARN: 'queue',
  INFER_JOB_DEFINITION_ARN: 'infer',
  MODEL_NAME: 'digits',
  INPUT_BUCKET: 'input',
});

describe('routeEvent', () => {
  it('rejects an event that is neither an SQS delivery nor a Scheduled Event, naming both shapes', async () => {
    // given a context whose clients are never reached, and an API Gateway-like event
    const ctx = createBatcherContext(
      config,
      { dynamo: new DynamoDBClient({}), s3: new S3Client({}), batch: new BatchClient({}) },
      { invocationId: 'test', leaseUntil: () => 0, sink: () => undefined },
    );

    // when it is routed
    const routed = routeEvent({ httpMethod: 'GET', path: '/' }, ctx);

    // then it fails with an EventParseError naming the accepted shapes
    await expect(routed).rejects.toThrow(EventParseError);
    await expect(routed).rejects.toThrow(/eventSource aws:sqs.*Scheduled Event/);
  });
});
