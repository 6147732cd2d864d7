import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BatchClient } from '@aws-sdk/client-batch';
import { discoverNewJobs } from './discover-jobs';
import {
  ChildRecord,
  ExecutorState,
  isTerminal,
  JobRecord,
  loadExecutorState,
  parentStatus,
  recoverInterrupted,
  saveExecutorState,
} from './executor-state';
import { childEnvironment, childIndexes, SubmittedJob, substituteParameters } from './job-command';
import { jobStateChangeOf } from './job-state-event';
import { runChild } from './run-child';
import type { BatchJobStateChangeEvent } from '../../../lambda/finisher/job-state-change';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The container's ENTRYPOINT run from the checkout: the worker image cannot be built here, so
 * its TypeScript source runs under tsx instead (`node --import tsx` spares an npx process).
 */
export const WORKER_ENTRYPOINT: readonly string[] = [
  process.execPath,
  '--import',
  'tsx',
  join(PROJECT_ROOT, 'container', 'src', 'main.ts'),
];

export type ExecutorEvent =
  | { readonly type: 'job-found'; readonly job: JobRecord }
  | { readonly type: 'child-started'; readonly job: JobRecord; readonly child: ChildRecord }
  | { readonly type: 'child-ended'; readonly job: JobRecord; readonly child: ChildRecord }
  | { readonly type: 'job-ended'; readonly job: JobRecord }
  | {
      readonly type: 'output';
      readonly job: JobRecord;
      readonly child: ChildRecord;
      readonly line: string;
    };

export interface LocalBatchExecutorOptions {
  readonly batch: BatchClient;
  /** Name or ARN of the job queue to serve. */
  readonly jobQueue: string;
  /** JSON record of every job this executor saw; the local truth about job status. */
  readonly stateFile: string;
  /** Where each process's output goes, one file per child. */
  readonly logDirectory: string;
  /**
   * Processes running at once, like the vCPUs of a compute environment.
   * @default 2
   */
  readonly parallelism?: number;
  /** Base environment of every process: the emulator endpoint and credentials. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default WORKER_ENTRYPOINT */
  readonly entrypoint?: readonly string[];
  readonly onEvent?: (event: ExecutorEvent) => void;
  /**
   * The "Batch Job State Change" event AWS Batch would put on the default bus when a process
   * ends: one per array child, then one for the parent (or the plain job) when it ends.
   */
  readonly onJobStateChange?: (event: BatchJobStateChangeEvent) => void;
}

interface QueuedChild {
  readonly job: JobRecord;
  readonly child: ChildRecord;
  readonly env: Record<string, string>;
}

/**
 * Runs the jobs submitted to the emulator's job queue as local processes: the job's command
 * with its parameters filled in, its environment plus the AWS Batch variables, one process per
 * array child, at most `parallelism` at once, in submission order. The emulator reports jobs
 * SUCCEEDED at once; the executor's own record (the state file) is what happened.
 */
export class LocalBatchExecutor {
  private readonly state: ExecutorState;
  private readonly queue: QueuedChild[] = [];
  private readonly parallelism: number;
  private running = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: LocalBatchExecutorOptions) {
    this.parallelism = options.parallelism ?? 2;
    if (!Number.isInteger(this.parallelism) || this.parallelism < 1) {
      throw new RangeError(`parallelism: expected a positive integer, got ${this.parallelism}`);
    }
    this.state = recoverInterrupted(loadExecutorState(options.stateFile), new Date().toISOString());
    mkdirSync(options.logDirectory, { recursive: true });
    for (const job of Object.values(this.state.jobs)) {
      for (const child of job.children) {
        if (child.status === 'RUNNABLE') this.enqueue(job, child);
      }
    }
    this.save();
  }

  /** Every job seen so far, oldest first. */
  jobs(): JobRecord[] {
    return Object.values(this.state.jobs);
  }

  job(jobId: string): JobRecord | undefined {
    return this.state.jobs[jobId];
  }

  /** True when no process runs and none waits. */
  idle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  /** Looks for newly submitted jobs once and starts what the parallelism allows. */
  poll(): Promise<void> {
    this.polling ??= this.discover().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Polls every `intervalMs` until stop(); a failed poll is reported and retried. */
  start(intervalMs = 1000, onError: (error: Error) => void = () => undefined): void {
    this.timer ??= setInterval(() => {
      this.poll().catch(onError);
    }, intervalMs);
  }

  /** Stops polling; processes already running finish on their own (see drain()). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Resolves once the job ended (polling must be running, or poll() called); rejects at
   * `deadline` (epoch ms) naming the job, so a job that never shows up cannot hang the caller.
   */
  async waitForJob(jobId: string, deadline = Infinity): Promise<JobRecord> {
    for (;;) {
      const job = this.state.jobs[jobId];
      if (job && isTerminal(job.status)) return job;
      if (Date.now() > deadline) {
        throw new Error(
          `job ${jobId}: ${job ? `still ${job.status}` : 'never seen in the queue'} at the deadline`,
        );
      }
      await this.nextChange();
    }
  }

  /** Resolves once nothing runs or waits. */
  async drain(): Promise<void> {
    while (!this.idle()) await this.nextChange();
  }

  /** Resolves at the next change of the record, or after a second to let callers re-check. */
  private nextChange(): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(finish, 1000);
      const waiters = this.waiters;
      function finish() {
        clearTimeout(timer);
        waiters.delete(finish);
        done();
      }
      waiters.add(finish);
    });
  }

  private changed(): void {
    this.save();
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((done) => done());
  }

  private async discover(): Promise<void> {
    const found = await discoverNewJobs(
      this.options.batch,
      this.options.jobQueue,
      (id) => id in this.state.jobs,
    );
    for (const submitted of found) this.accept(submitted);
    if (found.length > 0) this.changed();
    this.pump();
  }

  private accept(submitted: SubmittedJob): void {
    const base = {
      jobId: submitted.jobId,
      jobName: submitted.jobName,
      jobDefinition: submitted.jobDefinition,
      jobQueue: submitted.jobQueue,
      parameters: submitted.parameters,
      createdAt: submitted.createdAt,
      environment: submitted.environment,
      arraySize: submitted.arraySize,
      discoveredAt: new Date().toISOString(),
    };
    let command: string[];
    try {
      command = substituteParameters(submitted.command, submitted.parameters);
      if (command.length === 0) throw new Error('command: the job has no command');
    } catch (error) {
      const job: JobRecord = {
        ...base,
        command: [],
        status: 'FAILED',
        stoppedAt: base.discoveredAt,
        reason: (error as Error).message,
        children: [],
      };
      this.state.jobs[job.jobId] = job;
      this.emit({ type: 'job-found', job });
      this.emit({ type: 'job-ended', job });
      this.raiseStateChange(job);
      return;
    }
    const job: JobRecord = {
      ...base,
      command,
      status: 'RUNNABLE',
      children: childIndexes(submitted).map((index) => ({
        index,
        status: 'RUNNABLE',
        logFile: join(
          this.options.logDirectory,
          `${submitted.jobId}${index === undefined ? '' : `-${index}`}.log`,
        ),
      })),
    };
    this.state.jobs[job.jobId] = job;
    this.emit({ type: 'job-found', job });
    for (const child of job.children) this.enqueue(job, child);
  }

  private enqueue(job: JobRecord, child: ChildRecord): void {
    this.queue.push({
      job,
      child,
      env: childEnvironment(job, child.index, this.options.environment),
    });
  }

  private pump(): void {
    while (this.running < this.parallelism && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.running += 1;
      void this.run(next);
    }
  }

  private async run({ job, child, env }: QueuedChild): Promise<void> {
    child.status = 'RUNNING';
    child.startedAt = new Date().toISOString();
    job.startedAt ??= child.startedAt;
    job.status = parentStatus(job.children);
    this.emit({ type: 'child-started', job, child });
    this.changed();
    const entrypoint = this.options.entrypoint ?? WORKER_ENTRYPOINT;
    const outcome = await runChild(
      [...entrypoint, ...job.command],
      env,
      child.logFile!,
      (line) => this.emit({ type: 'output', job, child, line }),
      PROJECT_ROOT,
    );
    child.status = outcome.exitCode === 0 ? 'SUCCEEDED' : 'FAILED';
    child.exitCode = outcome.exitCode;
    child.reason = outcome.reason;
    child.stoppedAt = new Date().toISOString();
    job.status = parentStatus(job.children);
    this.running -= 1;
    this.emit({ type: 'child-ended', job, child });
    if (child.index !== undefined) this.raiseStateChange(job, child);
    if (isTerminal(job.status)) {
      job.stoppedAt = child.stoppedAt;
      const failed = job.children.filter((c) => c.status === 'FAILED');
      if (failed.length > 0) {
        job.reason = `${failed.length} of ${job.children.length} processes failed: ${failed
          .map((c) => `${c.index ?? 'job'}: ${c.reason ?? 'failed'}`)
          .join('; ')}`;
      }
      this.emit({ type: 'job-ended', job });
      this.raiseStateChange(job);
    }
    this.changed();
    this.pump();
  }

  private raiseStateChange(job: JobRecord, child?: ChildRecord): void {
    if (!this.options.onJobStateChange) return;
    const event = jobStateChangeOf(job, child, new Date());
    if (event) this.options.onJobStateChange(event);
  }

  private emit(event: ExecutorEvent): void {
    this.options.onEvent?.(event);
  }

  private save(): void {
    saveExecutorState(this.options.stateFile, this.state);
  }
}
