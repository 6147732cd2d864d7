import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { sqsClient } from '../../../lib/contracts/aws-clients';
import type { FinishResult } from '../../../lambda/finisher/finish-batch';
import { createHandler, FinisherHandler } from '../../../lambda/finisher/handler';
import type { BatchJobStateChangeEvent } from '../../../lambda/finisher/job-state-change';
import { lambdaContext } from '../batcher/lambda-events';
import { EventQueue } from '../../shared/event-queue';

/** Lambda retries a failed asynchronous invocation twice (the function's EventInvokeConfig). */
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

export interface LocalFinisherOptions {
  readonly functionName: string;
  /** The deployed rule that gives the finisher its job ends. */
  readonly ruleName: string;
  /** Unique name of the queue that stands in for the function's place among the rule's targets. */
  readonly queueName: string;
  /** Where the function's output goes: the local CloudWatch log stream. */
  readonly logFile: string;
  /** Each line the function logs. */
  readonly onLogLine?: (line: string) => void;
  readonly onResult?: (result: FinishResult) => void;
  /** An event the function failed on after every attempt, as Lambda would send it to the DLQ. */
  readonly onError?: (error: Error, event: unknown) => void;
}

/**
 * Plays Lambda and EventBridge for the finisher, in this process. The executor's state changes
 * are put on the emulator's default bus as AWS Batch puts them; the deployed rule matches them
 * with its own pattern and delivers the matches to a queue added as its target (the emulator
 * cannot invoke the Lambda target, and ignores it); each delivery is one invocation of the
 * handler with the function's deployed environment, retried like an asynchronous invocation.
 */
export class LocalFinisher {
  private stopped = false;
  private loop?: Promise<void>;
  readonly results: FinishResult[] = [];
  readonly failures: { readonly error: Error; readonly event: unknown }[] = [];

  private constructor(
    private readonly options: LocalFinisherOptions,
    private readonly handler: FinisherHandler,
    private readonly timeoutMs: number,
    private readonly mailbox: EventQueue<BatchJobStateChangeEvent>,
    private readonly events: EventBridgeClient,
  ) {}

  static async create(options: LocalFinisherOptions): Promise<LocalFinisher> {
    const config = await new LambdaClient({}).send(
      new GetFunctionConfigurationCommand({ FunctionName: options.functionName }),
    );
    const events = new EventBridgeClient({});
    const mailbox = await EventQueue.create<BatchJobStateChangeEvent>({
      events,
      sqs: sqsClient(),
      queueName: options.queueName,
      rule: { existing: options.ruleName },
    });
    mkdirSync(dirname(options.logFile), { recursive: true });
    const handler = createHandler({
      env: { ...process.env, ...(config.Environment?.Variables ?? {}) },
      sink: (line) => {
        appendFileSync(options.logFile, `${line}\n`);
        options.onLogLine?.(line);
      },
    });
    return new LocalFinisher(options, handler, (config.Timeout ?? 3) * 1000, mailbox, events);
  }

  /** Puts a state change on the default bus, where AWS Batch puts its own. */
  async publish(event: BatchJobStateChangeEvent): Promise<void> {
    const { FailedEntryCount = 0, Entries = [] } = await this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Resources: event.resources,
            Time: new Date(event.time),
          },
        ],
      }),
    );
    if (FailedEntryCount > 0) {
      throw new Error(`PutEvents refused the job state change: ${Entries[0]?.ErrorMessage}`);
    }
  }

  /** Starts receiving the rule's deliveries; one invocation at a time, like one concurrency. */
  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        try {
          await this.deliverOnce(1);
        } catch (error) {
          this.options.onError?.(error as Error, undefined);
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        }
      }
    })();
  }

  /** Receives once (waiting up to `waitSeconds`) and invokes for each delivery; returns how many. */
  async deliverOnce(waitSeconds = 1): Promise<number> {
    const deliveries = await this.mailbox.receive(waitSeconds);
    for (const { event, delete: remove } of deliveries) {
      await this.invoke(event);
      await remove();
    }
    return deliveries.length;
  }

  private async invoke(event: BatchJobStateChangeEvent): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const context = lambdaContext(this.options.functionName, this.timeoutMs, randomUUID());
        const result = await this.handler(event, context);
        this.results.push(result);
        this.options.onResult?.(result);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) {
          this.failures.push({ error: error as Error, event });
          this.options.onError?.(error as Error, event);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /** Stops receiving and removes the stand-in target and its queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.mailbox.close();
  }
}
