import type { ExecutorEvent } from '../local/executor/local-batch-executor';

/** The fields of a batcher log line the demo prints (lambda/batcher/finish-batch.ts, close-batch.ts). */
interface BatcherLogEntry {
  readonly level?: string;
  readonly message?: string;
  readonly batchId?: string;
  readonly reason?: string;
  readonly jobName?: string;
  readonly fileCount?: number;
  readonly shardCount?: number;
  readonly error?: { readonly message?: string };
}

/** Live progress lines, each stamped with the seconds since the demo started. */
export class ProgressPrinter {
  private readonly started = Date.now();

  constructor(private readonly sink: (line: string) => void) {}

  line(message: string): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    this.sink(`[${elapsed}s] ${message}`);
  }

  /** Job and shard transitions, training epochs and the worker's own progress lines. */
  executorEvent(event: ExecutorEvent): void {
    const { job } = event;
    const kind = job.command[0] ?? 'job';
    const where = (index?: number) =>
      index === undefined ? `${kind} job` : `${kind} shard ${index + 1}/${job.arraySize}`;
    switch (event.type) {
      case 'job-found':
        this.line(
          `executor: ${kind} job ${job.jobName} found in the queue${
            job.arraySize === undefined ? '' : ` (${job.arraySize} array children)`
          }`,
        );
        break;
      case 'child-started':
        this.line(`executor: ${where(event.child.index)} started`);
        break;
      case 'child-ended':
        this.line(
          `executor: ${where(event.child.index)} ${event.child.status.toLowerCase()}${
            event.child.reason ? ` (${event.child.reason}, log ${event.child.logFile})` : ''
          }`,
        );
        break;
      case 'job-ended':
        this.line(`executor: ${kind} job ${job.jobName} ${job.status.toLowerCase()}`);
        break;
      case 'output':
        this.workerLine(where(event.child.index), event.line);
        break;
    }
  }

  /**
   * The batcher's Powertools log lines that tell the story: a batch closed, its job submitted,
   * and any warning or error.
   */
  batcherLine(line: string): void {
    let entry: BatcherLogEntry;
    try {
      entry = JSON.parse(line) as BatcherLogEntry;
    } catch {
      return; // not one of the batcher's JSON lines
    }
    if (entry.message === 'batch closed') {
      this.line(`batcher: batch ${entry.batchId} closed (${entry.reason})`);
    } else if (entry.message === 'job submitted') {
      this.line(
        `batcher: job ${entry.jobName} submitted for batch ${entry.batchId}: ${entry.fileCount} files in ${entry.shardCount} shards`,
      );
    } else if (entry.level === 'WARN' || entry.level === 'ERROR') {
      const cause = entry.error?.message ? ` (${entry.error.message})` : '';
      this.line(`batcher ${entry.level.toLowerCase()}: ${entry.message}${cause}`);
    }
  }

  private workerLine(where: string, line: string): void {
    const text = line.replace(/^\S+Z /, '');
    // TensorFlow's own INFO lines (I<mmdd> ...) carry no progress, though one says "errors".
    if (/^I\d{4} /.test(text)) return;
    if (text.startsWith('progress:') || text.startsWith('backend:') || /failed|error/i.test(text)) {
      this.line(`${where}: ${text}`);
      return;
    }
    if (!text.startsWith('{')) return;
    try {
      const event = JSON.parse(text) as {
        event?: string;
        epoch?: number;
        metrics?: { validationAccuracy?: number };
        version?: string;
        promoted?: boolean;
      };
      if (event.event === 'epoch') {
        this.line(
          `${where}: epoch ${event.epoch}, validation accuracy ${(
            (event.metrics?.validationAccuracy ?? 0) * 100
          ).toFixed(1)}%`,
        );
      } else if (event.event === 'trained') {
        this.line(
          `${where}: version ${event.version} ${event.promoted ? 'promoted' : 'not promoted'}`,
        );
      }
    } catch {
      // Not JSON after all: a plain log line that carries no progress.
    }
  }
}
