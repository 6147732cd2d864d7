import {
  lambdaContext,
  scheduledEvent,
  toSqsEvent,
} from '../../../scripts/local/batcher/lambda-events';

test('received SQS messages become the records of an SQS event', () => {
  // Given one received message
  const event = toSqsEvent(
    [
      {
        MessageId: 'm1',
        ReceiptHandle: 'r1',
        Body: '{"Records":[]}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '5' },
      },
    ],
    'arn:aws:sqs:us-east-1:123456789012:q',
    'us-east-1',
  );
  // Then the record carries what Lambda's event source mapping puts there
  expect(event.Records[0]).toMatchObject({
    messageId: 'm1',
    receiptHandle: 'r1',
    body: '{"Records":[]}',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q',
    attributes: { ApproximateReceiveCount: '2', SentTimestamp: '5' },
  });
});

test('the age trigger sends an EventBridge Scheduled Event', () => {
  // When the schedule fires
  const event = scheduledEvent('id', '123456789012', 'us-east-1', new Date(0));
  // Then the batcher recognises it by source and detail type
  expect(event.source).toBe('aws.events');
  expect(event['detail-type']).toBe('Scheduled Event');
});

test('the remaining time counts down from the function timeout', () => {
  // Given a 120 s function started at t=1000
  let now = 1000;
  const context = lambdaContext('f', 120_000, 'req', () => now);
  // When 20 s pass
  now += 20_000;
  // Then 100 s remain
  expect(context.getRemainingTimeInMillis()).toBe(100_000);
});
