import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emulatorEnvironment } from '../../local/moto-server';
import {
  LOCAL_DIRECTORY,
  LOCAL_STATE_FILE,
  LocalState,
  processAlive,
  readLocalState,
  removeLocalState,
} from '../../local/local-state';
import { Command, parseCommandArgs } from '../command';
import { MissingResourceError, UsageError } from '../errors';

const HELP = `usage: gbi local <up | down | env> [--pipeline JSON]

The pipeline on this machine, in the background: an AWS emulator (moto, installed into .venv on
first use), the stack deployed from the CDK app's own template, the batcher Lambda fed by the
real queue and the Batch jobs run as local processes. No AWS account, no Docker.
  up     start it; records endpoint and process ids in .emulator/state.json
  down   stop it (running jobs finish first) and forget its state
  env    print the export lines that point the AWS SDK (and gbi) at it

options
  --pipeline JSON   pipeline settings over cdk.json's, e.g. '{"maxBatchWaitSeconds":60}'

example
  gbi local up && eval "$(gbi local env)" && gbi status`;

const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;
const DAEMON = resolve(__dirname, '..', '..', 'local', 'local-daemon.ts');

function exportLines(endpoint: string): string {
  return Object.entries(emulatorEnvironment(endpoint))
    .map(([key, value]) => `export ${key}=${value}`)
    .join('\n');
}

function running(): LocalState | undefined {
  const state = readLocalState();
  return state && processAlive(state.pid) ? state : undefined;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function up(pipeline: string | undefined, out: (line: string) => void): Promise<number> {
  if (pipeline !== undefined) {
    try {
      JSON.parse(pipeline);
    } catch (error) {
      throw new UsageError(`local up: --pipeline: not JSON (${(error as Error).message})`);
    }
  }
  const existing = running();
  if (existing) {
    throw new UsageError(
      `local up: already running (pid ${existing.pid}, ${existing.endpoint ?? 'starting'}); gbi local down first`,
    );
  }
  mkdirSync(LOCAL_DIRECTORY, { recursive: true });
  removeLocalState();
  const logFile = join(LOCAL_DIRECTORY, 'local.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', DAEMON, LOCAL_STATE_FILE, ...(pipeline ? [pipeline] : [])],
    { detached: true, stdio: ['ignore', log, log], cwd: resolve(__dirname, '..', '..', '..') },
  );
  child.unref();
  out(`starting the local stack (pid ${child.pid}); log: ${logFile}`);
  const state = await waitFor('local up', START_TIMEOUT_MS, () => {
    const current = readLocalState();
    if (current?.status === 'ready' || current?.status === 'failed') return current;
    if (!processAlive(child.pid!)) {
      return { status: 'failed', error: `exited early; see ${logFile}` } as LocalState;
    }
    return undefined;
  });
  if (state.status === 'failed') {
    throw new Error(`local up: ${state.error ?? 'failed'} (log: ${logFile})`);
  }
  out(`ready: stack ${state.stackName} at ${state.endpoint}`);
  out('point the AWS SDK and gbi at it with:');
  out(exportLines(state.endpoint!));
  return 0;
}

async function down(out: (line: string) => void): Promise<number> {
  const state = readLocalState();
  if (!state)
    throw new MissingResourceError(`local down: nothing is running (no ${LOCAL_STATE_FILE})`);
  if (processAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    await waitFor('local down', STOP_TIMEOUT_MS, () =>
      processAlive(state.pid) ? undefined : true,
    );
  }
  // Only if the runtime died without stopping its emulator.
  if (state.emulatorPid && processAlive(state.emulatorPid))
    process.kill(state.emulatorPid, 'SIGTERM');
  removeLocalState();
  out(`stopped the local stack (pid ${state.pid})`);
  return 0;
}

export const localCommand: Command = {
  name: 'local',
  summary: 'start or stop the pipeline on this machine (emulator, no AWS, no Docker)',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('local', args, { pipeline: { type: 'string' } }, 1);
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const [action] = parsed.positionals;
    switch (action) {
      case 'up':
        return up(parsed.values.pipeline as string | undefined, (line) => context.io.out(line));
      case 'down':
        return down((line) => context.io.out(line));
      case 'env': {
        const state = running();
        if (!state?.endpoint)
          throw new MissingResourceError('local env: nothing is running; gbi local up first');
        context.io.out(exportLines(state.endpoint));
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? 'local: expected up, down or env'
            : `local: unknown action '${action}' (expected up, down or env)`,
        );
    }
  },
};
