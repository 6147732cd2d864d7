import { startProgressReporter } from '../../../container/src/infer/progress/progress-reporter';
import type { ProgressSnapshot } from '../../../container/src/infer/progress/format-progress';

const snapshot = (): ProgressSnapshot => ({
  itemsTotal: 10,
  itemsDone: 5,
  itemsResumed: 0,
  ok: 5,
  failed: 0,
  elapsedMs: 1000,
  numTensors: 3,
});

function fakeTerminal(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe('startProgressReporter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs a plain line every interval when not on a terminal, and once more on stop', () => {
    // given a reporter every 5 s writing to a pipe
    const lines: string[] = [];
    const { stream, written } = fakeTerminal(false);
    const reporter = startProgressReporter(snapshot, 5000, (l) => lines.push(l), stream);

    // when 10 s pass and it stops
    jest.advanceTimersByTime(10_000);
    reporter.stop();

    // then three log lines and nothing drawn
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^progress: 5\/10 objects/);
    expect(written).toEqual([]);
  });

  it('redraws a bar in place on a terminal instead of logging', () => {
    // given a reporter on a terminal
    const lines: string[] = [];
    const { stream, written } = fakeTerminal(true);
    const reporter = startProgressReporter(snapshot, 5000, (l) => lines.push(l), stream);

    // when a second passes and it stops
    jest.advanceTimersByTime(1000);
    reporter.stop();

    // then bars were drawn with carriage returns, ended by a newline, and nothing was logged
    expect(lines).toEqual([]);
    expect(written.filter((w) => w.startsWith('\r['))).toHaveLength(5);
    expect(written.at(-1)).toBe('\n');
  });
});
