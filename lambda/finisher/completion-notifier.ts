import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { BatchSummary } from '../../lib/contracts/batch-summary';
import { completionEntry, completionMessage } from './completion-event';
import { PutEventsFailedError } from './errors';
import { AccessCall } from '../../lib/contracts/access';

/** Sends a batch's completion: one event on the bus, and the short text to people if configured. */
export class CompletionNotifier {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly eventBus: string,
    private readonly sns?: { readonly client: SNSClient; readonly topicArn: string },
  ) {}

  /** Puts the event; the same summary always gives the same detail, so repeats dedupe on eventId. */
  async putEvent(
    summary: BatchSummary,
    resources: readonly string[],
  ): Promise<{ eventId: string; detailType: string }> {
    const entry = completionEntry(summary, resources);
    const { FailedEntryCount = 0, Entries = [] } = await this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBus,
            Source: entry.source,
            DetailType: entry.detailType,
            Detail: entry.detailJson,
            Resources: [...entry.resources],
          },
        ],
      }),
    );
    if (FailedEntryCount > 0) {
      const failed = Entries.find((e) => e.ErrorCode);
      throw new PutEventsFailedError(
        `PutEvents to ${this.eventBus} refused the completion event of ${summary.batchId}: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(),
      );
    }
    return { eventId: entry.detail.eventId, detailType: entry.detailType };
  }

  /** Publishes the human-readable notice; false when no topic is configured. */
  async notifyPeople(summary: BatchSummary): Promise<boolean> {
    if (!this.sns) return false;
    const { subject, text } = completionMessage(summary);
    await this.sns.client.send(
      new PublishCommand({ TopicArn: this.sns.topicArn, Subject: subject, Message: text }),
    );
    return true;
  }
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['finisher'],
    sdk: 'PutEventsCommand',
    action: 'events:PutEvents',
    resources: [{ arn: 'completionBus' }],
    why: 'puts one completion event per finished batch on the completion bus',
  },
  {
    by: ['finisher'],
    sdk: 'PublishCommand',
    action: 'sns:Publish',
    resources: [{ arn: 'completionTopic' }],
    why: 'tells the completion topic (with completionEmail)',
  },
  // SNS encrypts the message with the topic's key on the publisher's behalf:
  // Amazon SNS Developer Guide, "Managing Amazon SNS encryption keys and costs"
  {
    by: ['finisher'],
    sdk: 'PublishCommand',
    action: 'kms:GenerateDataKey',
    resources: [{ arn: 'completionTopicKey' }],
    why: 'a data key of the topic key for the published message',
  },
  {
    by: ['finisher'],
    sdk: 'PublishCommand',
    action: 'kms:Decrypt',
    resources: [{ arn: 'completionTopicKey' }],
    why: "the topic key's cached data key, when SNS reuses one",
  },
];
