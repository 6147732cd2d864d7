import { formatProgressBar, formatProgressLine, ProgressSnapshot } from './format-progress';

export interface ProgressReporter {
  /** Reports the final state once more and stops the timer. */
  stop(): void;
}

const BAR_WIDTH = 30;
const BAR_REDRAW_MS = 250;

/**
 * Progress every `intervalMs` as a plain log line, or, when `terminal` is an interactive
 * terminal, as a bar redrawn in place.
 */
export function startProgressReporter(
  snapshot: () => ProgressSnapshot,
  intervalMs: number,
  log: (line: string) => void,
  terminal: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const report = terminal.isTTY
    ? () => terminal.write(`\r${formatProgressBar(snapshot(), BAR_WIDTH)}\x1b[K`)
    : () => log(formatProgressLine(snapshot()));
  const timer = setInterval(report, terminal.isTTY ? BAR_REDRAW_MS : intervalMs);
  // A progress timer must never keep a finished worker alive.
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      report();
      if (terminal.isTTY) terminal.write('\n');
    },
  };
}
