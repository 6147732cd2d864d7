import { spawn } from 'node:child_process';

/** A failed step of the native build, naming what was missing or what failed. */
export class NativeSetupError extends Error {
  override readonly name = 'NativeSetupError';
}

/**
 * Runs a tool to completion and returns its stdout; stderr and stdout go to `log` line by line.
 * A missing executable or a non-zero exit becomes a NativeSetupError naming the step.
 */
export function runTool(
  step: string,
  command: string,
  args: readonly string[],
  options: {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly log?: (line: string) => void;
  } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) if (line.trim() !== '') options.log?.(line);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new NativeSetupError(
          error.code === 'ENOENT'
            ? `${step}: '${command}' is not installed`
            : `${step}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString();
      if (code === 0) return resolve(stdout);
      const lines = (tail + stdout).trim().split('\n');
      // The error line names the cause; the last lines are often only a stack or a version.
      const cause = lines.find((line) => /error/i.test(line) && !/^I\d{4} /.test(line));
      const last = lines.slice(-3).join(' | ');
      reject(
        new NativeSetupError(
          `${step}: ${command} exited ${code}: ${cause ? `${cause} ... ` : ''}${last}`,
        ),
      );
    });
  });
}
