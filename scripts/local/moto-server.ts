import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { detectEmulator } from './emulator/detect-emulator';

/** Pinned so every machine and CI run tests against the same emulator behaviour. */
export const MOTO_VERSION = '5.2.5';

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const VENV = join(PROJECT_ROOT, '.venv');
const MOTO_SERVER = join(VENV, 'bin', 'moto_server');

export interface RunningEmulator {
  readonly endpoint: string;
  /** Undefined when an external emulator (AWS_ENDPOINT_URL) is used: nothing to stop. */
  readonly process?: ChildProcess;
  stop(): Promise<void>;
}

/** Installs moto server into the project-local virtualenv on first use. */
export function ensureMotoInstalled(log: (line: string) => void = () => undefined): string {
  if (existsSync(MOTO_SERVER)) {
    return MOTO_SERVER;
  }
  log(`installing moto[server]==${MOTO_VERSION} into ${VENV} (first use only)`);
  const python = process.env.PYTHON ?? 'python3';
  execFileSync(python, ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', `moto[server]==${MOTO_VERSION}`], {
    stdio: 'inherit',
  });
  return MOTO_SERVER;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilUp(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `emulator at ${endpoint} did not answer within ${timeoutMs} ms: ${String(lastError)}`,
  );
}

/**
 * moto runs Batch jobs and Lambda functions in Docker by default; this machine has no Docker
 * engine, so both are switched off before any resource is created. Batch jobs are run by the
 * project's local executor instead. moto only: LocalStack answers the path with 404.
 */
export async function configureForNoDocker(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ batch: { use_docker: false }, lambda: { use_docker: false } }),
  });
  if (!response.ok) {
    throw new Error(`POST ${endpoint}/moto-api/config failed: HTTP ${response.status}`);
  }
}

/**
 * Starts moto server on a free loopback port, or uses AWS_ENDPOINT_URL when it is already set
 * (a running LocalStack or moto) and starts nothing; a moto there is configured like ours.
 */
export async function startEmulator(
  log: (line: string) => void = () => undefined,
): Promise<RunningEmulator> {
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    const { kind } = await detectEmulator(external);
    log(`using the ${kind} emulator at AWS_ENDPOINT_URL=${external}`);
    if (kind === 'moto') await configureForNoDocker(external);
    return { endpoint: external, stop: async () => undefined };
  }
  const binary = ensureMotoInstalled(log);
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilUp(endpoint, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nmoto_server stderr:\n${stderr}`, {
      cause: error,
    });
  }
  await configureForNoDocker(endpoint);
  log(`moto ${MOTO_VERSION} listening on ${endpoint}`);
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Environment that points every AWS SDK v3 client at the emulator with dummy credentials. */
export function emulatorEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_DEFAULT_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    // Path-style addressing: virtual-host names such as bucket.127.0.0.1 do not resolve.
    AWS_S3_FORCE_PATH_STYLE: 'true',
  };
}
