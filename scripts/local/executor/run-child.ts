import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildOutcome {
  readonly exitCode: number;
  /** Set when the process did not exit normally: a signal or a spawn failure. */
  readonly reason?: string;
}

/**
 * Runs one job process to its end: output goes to `logFile` (the local CloudWatch log stream)
 * and, line by line, to `onLine` for live progress. Never rejects: a process that cannot start
 * is an outcome like any failure.
 */
export function runChild(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  logFile: string,
  onLine: (line: string) => void,
  cwd: string,
): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.pipe(log, { end: false });
      createInterface({ input: stream }).on('line', onLine);
    }
    let settled = false;
    const finish = (outcome: ChildOutcome) => {
      if (settled) return;
      settled = true;
      log.end(() => resolve(outcome));
    };
    child.once('error', (error) =>
      finish({ exitCode: 127, reason: `could not start ${argv[0]}: ${error.message}` }),
    );
    child.once('close', (code, signal) =>
      finish(
        code === null
          ? { exitCode: 128, reason: `killed by ${signal ?? 'a signal'}` }
          : { exitCode: code, reason: code === 0 ? undefined : `exit code ${code}` },
      ),
    );
  });
}
