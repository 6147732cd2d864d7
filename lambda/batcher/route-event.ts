import type { ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatcherContext } from './batcher-context';
import { EventParseError } from './errors';
import { processSqsEvent } from './process-sqs-event';
import { sweep, SweepResult } from './sweep';

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as Partial<SQSEvent> | null)?.Records;
  return Array.isArray(records) && records.every((r) => r?.eventSource === 'aws:sqs');
}

function isScheduledEvent(event: unknown): event is ScheduledEvent {
  const e = event as Partial<ScheduledEvent> | null;
  return e?.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

/**
 * The function has two triggers: SQS deliveries and the once-a-minute schedule. The
 * invocation's metrics are published when it ends, whether it returns or throws.
 */
export async function routeEvent(
  event: unknown,
  ctx: BatcherContext,
): Promise<SQSBatchResponse | SweepResult> {
  try {
    if (isSqsEvent(event)) return await processSqsEvent(event, ctx);
    if (isScheduledEvent(event)) return await sweep(ctx);
    throw new EventParseError(
      'event: neither an SQS delivery (Records[].eventSource aws:sqs) nor an EventBridge Scheduled Event',
    );
  } finally {
    ctx.metrics.publishStoredMetrics();
  }
}
