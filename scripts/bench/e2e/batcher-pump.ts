import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import type { BatcherConfig } from '../../../lambda/batcher/config';
import { batcherClients, createBatcherContext } from '../../../lambda/batcher/create-context';
import { routeEvent } from '../../../lambda/batcher/route-event';
import { lambdaContext, scheduledEvent, toSqsEvent } from '../../local/batcher/lambda-events';

export interface PumpOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly config: BatcherConfig;
  /** Messages handed to one invocation at most (the event source batch size). */
  readonly batchSize: number;
  /** Longest time spent gathering one invocation's messages (the batching window). */
  readonly batchingWindowMs: number;
  /** How often the schedule invokes the batcher to close batches past max wait. */
  readonly sweepEveryMs: number;
  readonly region: string;
  readonly onError: (error: Error) => void;
}

const TIMEOUT_MS = 120_000;

/**
 * Plays Lambda's part on the emulator: an SQS event source (receive, invoke the batcher's
 * routing with the SQS event, delete what did not fail) and the EventBridge schedule (a
 * scheduled event every `sweepEveryMs`). Invocations run in this process through the same
 * routeEvent the deployed handler calls.
 */
export class BatcherPump {
  private running = false;
  private loop?: Promise<void>;
  private sweeper?: NodeJS.Timeout;
  private readonly clients = batcherClients();
  invocations = 0;

  constructor(private readonly options: PumpOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.receiveLoop();
    this.sweeper = setInterval(() => {
      this.invoke(
        scheduledEvent(randomUUID(), '000000000000', this.options.region, new Date()),
      ).catch(this.options.onError);
    }, this.options.sweepEveryMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    await this.loop;
  }

  private async invoke(event: unknown): Promise<unknown> {
    const requestId = randomUUID();
    const context = lambdaContext('batcher', TIMEOUT_MS, requestId);
    this.invocations++;
    return routeEvent(
      event,
      createBatcherContext(this.options.config, this.clients, {
        invocationId: requestId,
        leaseUntil: () => Date.now() + context.getRemainingTimeInMillis() + 30_000,
        sink: () => undefined,
      }),
    );
  }

  /**
   * Gathers up to the batch size within the batching window, or until the queue has nothing
   * more, then invokes once.
   */
  private async receiveBatch(): Promise<Message[]> {
    const messages: Message[] = [];
    const windowEnds = Date.now() + this.options.batchingWindowMs;
    while (messages.length < this.options.batchSize && Date.now() < windowEnds) {
      const { Messages = [] } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: messages.length === 0 ? 1 : 0,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      messages.push(...Messages);
    }
    return messages;
  }

  private async receiveLoop(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.receiveBatch();
        if (messages.length === 0) continue;
        const response = (await this.invoke(
          toSqsEvent(messages, this.options.queueArn, this.options.region),
        )) as SQSBatchResponse;
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        const done = messages.filter((m) => !failed.has(m.MessageId!));
        for (let i = 0; i < done.length; i += 10) {
          await this.options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: this.options.queueUrl,
              Entries: done.slice(i, i + 10).map((m, j) => ({
                Id: String(j),
                ReceiptHandle: m.ReceiptHandle!,
              })),
            }),
          );
        }
      } catch (error) {
        this.options.onError(error as Error);
      }
    }
  }
}
