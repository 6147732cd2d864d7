import type { ExecutorEvent } from '../local/executor/local-batch-executor';

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
