import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The local subset of AWS Batch job states: the executor never has PENDING or STARTING jobs. */
export type LocalJobStatus = 'RUNNABLE' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface ChildRecord {
  /** Array index; undefined for a plain job. */
  readonly index?: number;
  status: LocalJobStatus;
  exitCode?: number;
  startedAt?: string;
  stoppedAt?: string;
  /** Why it failed: the exit code or signal, or why it could not start. */
  reason?: string;
  /** Combined stdout and stderr of the process. */
  logFile?: string;
}

export interface JobRecord {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobDefinition: string;
  /** Job queue ARN, as DescribeJobs gives it; absent in records of older executors. */
  readonly jobQueue?: string;
  /** SubmitJob parameters merged over the definition's; absent in records of older executors. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** SubmitJob time (epoch ms), from DescribeJobs. */
  readonly createdAt?: number;
  /** The command after parameter substitution; empty when it could not be built. */
  readonly command: readonly string[];
  /** The job's own environment (job definition and overrides), without the Batch variables. */
  readonly environment: Readonly<Record<string, string>>;
  readonly arraySize?: number;
  readonly discoveredAt: string;
  status: LocalJobStatus;
  /** When its first process started. */
  startedAt?: string;
  stoppedAt?: string;
  reason?: string;
  readonly children: ChildRecord[];
}

export interface ExecutorState {
  readonly schemaVersion: 1;
  readonly jobs: Record<string, JobRecord>;
}

const TERMINAL: readonly LocalJobStatus[] = ['SUCCEEDED', 'FAILED'];

export function isTerminal(status: LocalJobStatus): boolean {
  return TERMINAL.includes(status);
}

/**
 * A parent's status from its children, as AWS Batch reports array jobs: SUCCEEDED when all
 * children succeeded, FAILED once all ended and any failed, RUNNING while any started.
 */
export function parentStatus(children: readonly ChildRecord[]): LocalJobStatus {
  if (children.every((child) => child.status === 'SUCCEEDED')) return 'SUCCEEDED';
  if (children.every((child) => isTerminal(child.status))) return 'FAILED';
  if (children.some((child) => child.status !== 'RUNNABLE')) return 'RUNNING';
  return 'RUNNABLE';
}

/**
 * Children a previous executor left RUNNING died with it (their output is incomplete): they
 * become FAILED with that reason, and their parents are recomputed. RUNNABLE ones still run.
 */
export function recoverInterrupted(state: ExecutorState, now: string): ExecutorState {
  for (const job of Object.values(state.jobs)) {
    for (const child of job.children) {
      if (child.status === 'RUNNING') {
        child.status = 'FAILED';
        child.stoppedAt = now;
        child.reason = 'interrupted: the local executor stopped while this process ran';
      }
    }
    if (job.children.length > 0) job.status = parentStatus(job.children);
    if (isTerminal(job.status)) job.stoppedAt ??= now;
  }
  return state;
}

export function loadExecutorState(file: string): ExecutorState {
  if (!existsSync(file)) return { schemaVersion: 1, jobs: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExecutorState>;
  if (parsed.schemaVersion !== 1 || typeof parsed.jobs !== 'object' || parsed.jobs === null) {
    throw new Error(`${file}: not a local executor state (expected schemaVersion 1 and jobs)`);
  }
  return parsed as ExecutorState;
}

/** Written to a temporary file and renamed, so a reader (the CLI) never sees half a file. */
export function saveExecutorState(file: string, state: ExecutorState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, file);
}
