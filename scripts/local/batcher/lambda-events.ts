import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Message } from '@aws-sdk/client-sqs';

/**
 * The SQS event Lambda's event source mapping builds from received messages
 * (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS", example standard queue message event).
 */
export function toSqsEvent(
  messages: readonly Message[],
  queueArn: string,
  region: string,
): SQSEvent {
  return {
    Records: messages.map((message): SQSRecord => ({
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: message.Attributes?.SentTimestamp ?? '',
        SenderId: message.Attributes?.SenderId ?? '',
        ApproximateFirstReceiveTimestamp:
          message.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

/** What EventBridge sends for a schedule rule (Amazon EventBridge events reference). */
export function scheduledEvent(
  id: string,
  account: string,
  region: string,
  time: Date,
): ScheduledEvent {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: time.toISOString(),
    region,
    resources: [],
    detail: {},
  };
}

/** A Lambda context whose remaining time counts down from the function's timeout. */
export function lambdaContext(
  functionName: string,
  timeoutMs: number,
  requestId: string,
  now: () => number = Date.now,
): Context {
  const deadline = now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionName,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
