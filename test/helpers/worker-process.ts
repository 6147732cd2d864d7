import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The worker as AWS Batch runs it: its own process, started from the CLI entry point. */
export function startWorker(argv: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'container/src/main.ts', ...argv],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const output = { text: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { child, output, exited };
}

/** Polls `condition` every 50 ms for up to 60 s. */
export async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
