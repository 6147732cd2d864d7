import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import { sqsClient } from '../../lib/contracts/aws-clients';
import {
  COMPLETION_EVENT_SOURCE,
  type CompletionDetailType,
  type CompletionEventDetail,
} from '../../lib/contracts/batch-summary';
import { EventQueue } from './event-queue';

export type CompletionEvent = EventBridgeEvent<CompletionDetailType, CompletionEventDetail>;

/**
 * A consumer's subscription to the pipeline's completion events: a rule on the bus matching
 * source gbi.batch-inference, delivering to a queue of its own. The same two calls subscribe on
 * AWS; docs/finisher.md shows the rule.
 */
export function subscribeToCompletions(options: {
  /** Unique per subscriber: names the rule and the queue. */
  readonly name: string;
  /** @default 'default' */
  readonly eventBusName?: string;
}): Promise<EventQueue<CompletionEvent>> {
  return EventQueue.create<CompletionEvent>({
    events: new EventBridgeClient({}),
    sqs: sqsClient(),
    queueName: options.name,
    rule: {
      name: options.name,
      eventBusName: options.eventBusName,
      eventPattern: { source: [COMPLETION_EVENT_SOURCE] },
    },
  });
}
