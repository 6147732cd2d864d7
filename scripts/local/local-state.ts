import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Everything `gbi local up` leaves under the project root. */
export const LOCAL_DIRECTORY = resolve(__dirname, '..', '..', '.emulator');
export const LOCAL_STATE_FILE = join(LOCAL_DIRECTORY, 'state.json');

/** What `gbi local up` records about the background runtime, for the other commands. */
export interface LocalState {
  readonly status: 'starting' | 'ready' | 'failed';
  /** The background process running the emulator, the batcher and the executor. */
  readonly pid: number;
  readonly endpoint?: string;
  readonly emulatorPid?: number;
  readonly stackName?: string;
  /** The executor's job record and the logs. */
  readonly stateDirectory: string;
  readonly startedAt: string;
  readonly error?: string;
}

export function readLocalState(file = LOCAL_STATE_FILE): LocalState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalState;
}

export function writeLocalState(state: LocalState, file = LOCAL_STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, file);
}

export function removeLocalState(file = LOCAL_STATE_FILE): void {
  rmSync(file, { force: true });
}

/** Signal 0 tests that a process exists without touching it. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
