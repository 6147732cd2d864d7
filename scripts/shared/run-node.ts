import { spawn } from 'node:child_process';

export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  /** The last 8,000 characters: enough for the error, bounded for a chatty child. */
  readonly stderr: string;
}

/**
 * Runs `node <args>` as a child process without blocking this one (a bench or test that also
 * drains an emulator's log pipe must keep its event loop free), collecting its output.
 */
export function runNode(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs a probe script that prints its result as the last line of JSON; throws if it fails. */
export async function runJsonProbe<T>(args: readonly string[], env: NodeJS.ProcessEnv): Promise<T> {
  const run = await runNode(args, { env });
  if (run.status !== 0) {
    throw new Error(`${args[args.length - 1]} exited ${run.status}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as T;
}
