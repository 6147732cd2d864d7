import { join } from 'node:path';
import { BatchClient } from '@aws-sdk/client-batch';
import type { PipelineStack } from '../cli/stack-outputs';
import { LocalBatcher } from './batcher/local-batcher';
import { ExecutorEvent, LocalBatchExecutor } from './executor/local-batch-executor';
import { LocalFinisher } from './finisher/local-finisher';
import type { FinishResult } from '../../lambda/finisher/finish-batch';
import { emulatorEnvironment } from './moto-server';

export interface LocalRuntimeOptions {
  readonly stack: PipelineStack;
  readonly endpoint: string;
  /** Holds the executor's job record and the logs (e.g. .emulator/). */
  readonly stateDirectory: string;
  /** @default 2 */
  readonly parallelism?: number;
  /** @default 60000, the stack's once-a-minute age trigger */
  readonly sweepIntervalMs?: number;
  /** @default 1000 */
  readonly executorPollMs?: number;
  readonly onExecutorEvent?: (event: ExecutorEvent) => void;
  readonly onBatcherLog?: (line: string) => void;
  readonly onFinisherLog?: (line: string) => void;
  /** Each batch the finisher finished: its status and the completion event's id. */
  readonly onFinished?: (result: FinishResult) => void;
  readonly onError?: (source: 'executor' | 'batcher' | 'finisher', error: Error) => void;
}

export interface LocalRuntime {
  readonly executor: LocalBatchExecutor;
  readonly batcher: LocalBatcher;
  readonly finisher: LocalFinisher;
  /** Stops the batcher and the polling, then waits for running job processes to end. */
  stop(): Promise<void>;
}

/** Where the executor keeps its record of jobs under a state directory. */
export function executorStateFile(stateDirectory: string): string {
  return join(stateDirectory, 'batch-jobs.json');
}

/**
 * What AWS runs for the stack and the emulator cannot: the batcher Lambda (fed by the real
 * queue and a timer), the Batch compute environment (local processes) and the finisher Lambda
 * (fed the executor's job state changes through the deployed rule).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const logs = join(options.stateDirectory, 'logs');
  const finisher = await LocalFinisher.create({
    functionName: options.stack.finisherFunction,
    ruleName: options.stack.finisherRule,
    queueName: `${options.stack.stackName}-finisher-deliveries`,
    logFile: join(logs, 'finisher.log'),
    onLogLine: options.onFinisherLog,
    onResult: options.onFinished,
    onError: (error) => options.onError?.('finisher', error),
  });
  const executor = new LocalBatchExecutor({
    batch: new BatchClient({}),
    jobQueue: options.stack.jobQueue,
    stateFile: executorStateFile(options.stateDirectory),
    logDirectory: logs,
    parallelism: options.parallelism,
    environment: emulatorEnvironment(options.endpoint),
    onEvent: options.onExecutorEvent,
    // AWS Batch puts every state change on the default bus; the finisher's rule picks its own.
    onJobStateChange: (event) => {
      finisher.publish(event).catch((error: Error) => options.onError?.('executor', error));
    },
  });
  const batcher = await LocalBatcher.create({
    functionName: options.stack.batcherFunction,
    queueUrl: options.stack.ingestQueueUrl,
    logFile: join(logs, 'batcher.log'),
    sweepIntervalMs: options.sweepIntervalMs,
    onLogLine: options.onBatcherLog,
    onError: (error) => options.onError?.('batcher', error),
  });
  executor.start(options.executorPollMs ?? 1000, (error) => options.onError?.('executor', error));
  batcher.start();
  finisher.start();
  return {
    executor,
    batcher,
    finisher,
    stop: async () => {
      await batcher.stop();
      executor.stop();
      await executor.drain();
      await finisher.stop();
    },
  };
}
