import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** A received event and how to take it off the queue once handled. */
export interface QueuedEvent<T> {
  readonly event: T;
  readonly delete: () => Promise<void>;
}

export interface EventQueueOptions {
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
  /** Name of the queue this creates (and deletes on close). */
  readonly queueName: string;
  readonly rule:
    | {
        /** A rule this creates (and deletes on close) with this pattern. */
        readonly name: string;
        readonly eventPattern: Record<string, unknown>;
        /** @default 'default' */
        readonly eventBusName?: string;
      }
    | {
        /** An existing rule the queue becomes one more target of (removed on close). */
        readonly existing: string;
        /** @default 'default' */
        readonly eventBusName?: string;
      };
}

const TARGET_ID = 'event-queue';

/**
 * An SQS queue as the target of an EventBridge rule: the way to receive events without a
 * Lambda, here or on AWS. EventBridge matches the rule's pattern; what arrives is what matched.
 */
export class EventQueue<T = unknown> {
  private constructor(
    private readonly options: EventQueueOptions,
    readonly queueUrl: string,
    readonly ruleName: string,
  ) {}

  static async create<T>(options: EventQueueOptions): Promise<EventQueue<T>> {
    const { events, sqs, rule } = options;
    const bus = rule.eventBusName ?? 'default';
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: options.queueName }));
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    let ruleName: string;
    let ruleArn: string | undefined;
    if ('existing' in rule) {
      ruleName = rule.existing;
    } else {
      ruleName = rule.name;
      ({ RuleArn: ruleArn } = await events.send(
        new PutRuleCommand({
          Name: rule.name,
          EventBusName: bus,
          EventPattern: JSON.stringify(rule.eventPattern),
        }),
      ));
    }
    // EventBridge may send to a queue only if the queue's policy lets it:
    // Amazon EventBridge User Guide, "Using resource-based policies", Amazon SQS permissions
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: Attributes.QueueArn,
                ...(ruleArn ? { Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } } : {}),
              },
            ],
          }),
        },
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: ruleName,
        EventBusName: bus,
        Targets: [{ Id: TARGET_ID, Arn: Attributes.QueueArn! }],
      }),
    );
    return new EventQueue<T>(options, QueueUrl!, ruleName);
  }

  /** The events that arrive within `waitSeconds` (at most 10, SQS's page). */
  async receive(waitSeconds = 1): Promise<QueuedEvent<T>[]> {
    const { Messages = [] } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
      }),
    );
    return Messages.map((message) => ({
      event: JSON.parse(message.Body!) as T,
      delete: async () => {
        await this.options.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: this.queueUrl,
            ReceiptHandle: message.ReceiptHandle!,
          }),
        );
      },
    }));
  }

  /**
   * Receives until `done` says the events so far are enough, or `deadline` (epoch ms) passes;
   * each received event is deleted. Returns what arrived, in order.
   */
  async collect(done: (events: readonly T[]) => boolean, deadline: number): Promise<T[]> {
    const received: T[] = [];
    while (!done(received) && Date.now() < deadline) {
      for (const { event, delete: remove } of await this.receive(1)) {
        received.push(event);
        await remove();
      }
    }
    return received;
  }

  /** Removes the target (and the rule, if this created it), then the queue. */
  async close(): Promise<void> {
    const { events, sqs, rule } = this.options;
    const bus = rule.eventBusName ?? 'default';
    await events.send(
      new RemoveTargetsCommand({ Rule: this.ruleName, EventBusName: bus, Ids: [TARGET_ID] }),
    );
    if (!('existing' in rule)) {
      await events.send(new DeleteRuleCommand({ Name: this.ruleName, EventBusName: bus }));
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }
}
