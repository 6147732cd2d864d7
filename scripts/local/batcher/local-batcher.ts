import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsClient } from '../../../lib/contracts/aws-clients';
import type { SQSBatchResponse } from 'aws-lambda';
import { BatcherHandler, createHandler } from '../../../lambda/batcher/handler';
import { lambdaContext, scheduledEvent, toSqsEvent } from './lambda-events';

/** SQS returns at most 10 messages per ReceiveMessage and deletes at most 10 per batch. */
const SQS_PAGE = 10;
const ERROR_BACKOFF_MS = 1000;

export interface LocalBatcherOptions {
  readonly functionName: string;
  readonly queueUrl: string;
  /** Where the function's output goes: the local CloudWatch log stream. */
  readonly logFile: string;
  /**
   * Interval of the age trigger (the stack's `rate(1 minute)` rule).
   * @default 60000
   */
  readonly sweepIntervalMs?: number;
  /** Each line the function logs, for live progress. */
  readonly onLogLine?: (line: string) => void;
  readonly onError?: (error: Error) => void;
}

export interface InvocationRecord {
  readonly trigger: 'sqs' | 'schedule';
  readonly messages: number;
  readonly failed: number;
}

interface FunctionSetup {
  readonly environment: Record<string, string>;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly queueArn: string;
}

/**
 * Plays Lambda for the batcher, in this process: its event source mapping (receive from the
 * real queue up to the mapping's batch size and window, invoke, delete what is not in
 * batchItemFailures) and its once-a-minute age trigger. The emulator cannot run the function
 * (no Docker), and its own mapping would hand the messages to a no-op, so that one is disabled.
 * The function's environment comes from its deployed configuration, as Lambda sets it.
 */
export class LocalBatcher {
  private timers: NodeJS.Timeout[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  readonly invocations: InvocationRecord[] = [];

  /**
   * The function as Lambda runs it: its configured environment, and its output to the log file
   * (CloudWatch Logs) through a sink of its own. Capturing process.stdout instead would also
   * capture whatever onLogLine writes there (the daemon's log), which then logs itself again.
   */
  private readonly handler: BatcherHandler;

  private constructor(
    private readonly options: LocalBatcherOptions,
    private readonly setup: FunctionSetup,
    private readonly sqs: SQSClient,
  ) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.handler = createHandler({
      env: { ...process.env, ...setup.environment },
      sink: (line) => {
        appendFileSync(options.logFile, `${line}\n`);
        options.onLogLine?.(line);
      },
    });
  }

  static async create(options: LocalBatcherOptions): Promise<LocalBatcher> {
    const lambda = new LambdaClient({});
    const sqs = sqsClient();
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: options.functionName }),
    );
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: options.functionName }),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const mapping = EventSourceMappings.find((m) => m.EventSourceArn === Attributes.QueueArn);
    if (!mapping?.UUID) {
      throw new Error(
        `${options.functionName}: no event source mapping from ${options.queueUrl}; was the stack deployed?`,
      );
    }
    if (mapping.State !== 'Disabled') {
      await lambda.send(
        new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }),
      );
    }
    return new LocalBatcher(
      options,
      {
        environment: config.Environment?.Variables ?? {},
        timeoutMs: (config.Timeout ?? 3) * 1000,
        batchSize: mapping.BatchSize ?? SQS_PAGE,
        batchingWindowMs: (mapping.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        queueArn: Attributes.QueueArn!,
      },
      sqs,
    );
  }

  /** Starts polling the queue and the age trigger; invocations run one at a time. */
  start(): void {
    const loop = async () => {
      while (!this.stopped) {
        await this.serial(() => this.pollOnce()).catch(async (error: Error) => {
          this.options.onError?.(error);
          // A failing queue (emulator gone, say) must not turn the loop into a busy spin.
          await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
        });
      }
    };
    void loop();
    this.timers.push(
      setInterval(() => {
        this.serial(() => this.sweepOnce()).catch((error: Error) => this.options.onError?.(error));
      }, this.options.sweepIntervalMs ?? 60_000),
    );
  }

  /** Stops polling; resolves when the invocation in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.chain.catch(() => undefined);
  }

  /**
   * One event source mapping cycle: gathers messages until the batch size or the batching
   * window is reached, invokes with them, and deletes the ones the function did not report.
   * Returns how many messages were delivered.
   */
  async pollOnce(): Promise<number> {
    const messages: Message[] = [];
    const started = Date.now();
    do {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(SQS_PAGE, this.setup.batchSize - messages.length),
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      messages.push(...Messages);
      if (messages.length === 0) return 0;
    } while (
      messages.length < this.setup.batchSize &&
      Date.now() - started < this.setup.batchingWindowMs
    );
    const region = process.env.AWS_REGION ?? 'us-east-1';
    const response = (await this.invoke(
      toSqsEvent(messages, this.setup.queueArn, region),
    )) as SQSBatchResponse;
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    for (let start = 0; start < done.length; start += SQS_PAGE) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.slice(start, start + SQS_PAGE).map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle!,
          })),
        }),
      );
    }
    this.invocations.push({ trigger: 'sqs', messages: messages.length, failed: failed.size });
    return messages.length;
  }

  /** One age-trigger invocation (EventBridge's Scheduled Event). */
  async sweepOnce(): Promise<void> {
    const account = this.setup.queueArn.split(':')[4];
    await this.invoke(
      scheduledEvent(randomUUID(), account, process.env.AWS_REGION ?? 'us-east-1', new Date()),
    );
    this.invocations.push({ trigger: 'schedule', messages: 0, failed: 0 });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One invocation, serial like Lambda's for one concurrent execution. */
  private invoke(event: unknown): Promise<unknown> {
    return this.handler(
      event,
      lambdaContext(this.options.functionName, this.setup.timeoutMs, randomUUID()),
    );
  }
}
