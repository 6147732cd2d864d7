import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatcherContext } from './batcher-context';
import type { BufferItem } from './buffer-item';
import { EventParseError } from './errors';
import { sharedOpenBatch } from './open-batch-source';
import { parseS3EventBody } from './parse-s3-event';
import { placeItems } from './place-items';
import { sweep } from './sweep';

interface AcceptedMessage {
  readonly messageId: string;
  readonly items: readonly BufferItem[];
}

/** Items placed per group of messages; a failing group fails only its own messages. */
const PLACEMENT_GROUP_ITEMS = 500;

function groupMessages(messages: readonly AcceptedMessage[]): AcceptedMessage[][] {
  const groups: AcceptedMessage[][] = [];
  let size = Infinity;
  for (const message of messages) {
    if (size >= PLACEMENT_GROUP_ITEMS) {
      groups.push([]);
      size = 0;
    }
    groups[groups.length - 1].push(message);
    size += message.items.length;
  }
  return groups;
}

/**
 * One SQS delivery: parse every message, place the items of the good ones durably, report
 * the rest as batch item failures (SQS redelivers them and, after maxReceiveCount, moves them
 * to the DLQ), then close and submit whatever batch is due.
 */
export async function processSqsEvent(
  event: SQSEvent,
  ctx: BatcherContext,
): Promise<SQSBatchResponse> {
  const { config, log, metrics } = ctx;
  const filter = {
    bucket: config.inputBucket,
    prefix: config.inputPrefix,
    suffixes: config.inputSuffixes,
  };
  const failed: string[] = [];
  const accepted: AcceptedMessage[] = [];
  const rejected = new Map<string, number>();
  for (const { messageId, body } of event.Records) {
    try {
      const { items, skipped } = parseS3EventBody(body, filter);
      for (const { reason, detail } of skipped) {
        log.info('object skipped', { messageId, reason, object: detail });
        rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
      }
      accepted.push({ messageId, items });
    } catch (error) {
      if (!(error instanceof EventParseError)) throw error;
      log.warn('message is not a valid S3 event notification; left for redelivery and the DLQ', {
        messageId,
        reason: error.message,
      });
      rejected.set('unparseable', (rejected.get('unparseable') ?? 0) + 1);
      failed.push(messageId);
    }
  }
  for (const [reason, count] of rejected) {
    metrics.add('ItemsRejected', count, { reason });
  }

  const source = sharedOpenBatch(ctx);
  for (const group of groupMessages(accepted)) {
    try {
      const result = await placeItems(
        group.flatMap((message) => message.items),
        ctx,
        source,
      );
      metrics.add('ItemsBuffered', result.placed - result.duplicates);
      if (result.duplicates > 0) metrics.add('ItemsDuplicate', result.duplicates);
    } catch (error) {
      log.error('items not buffered; their messages are retried', {
        messageIds: group.map((message) => message.messageId),
        error,
      });
      failed.push(...group.map((message) => message.messageId));
    }
  }

  // The items are durable now; a failure to close or submit is retried by the next trigger.
  try {
    await sweep(ctx);
  } catch (error) {
    log.error('sweep after delivery failed; the schedule retries it', { error });
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
