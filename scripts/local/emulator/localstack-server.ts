import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort, RunningEmulator } from '../moto-server';
import { AwsService } from './emulator-capabilities';

/**
 * The last LocalStack community release that starts without LOCALSTACK_AUTH_TOKEN; the
 * releases after it refuse to start without one.
 */
export const LOCALSTACK_VERSION = '4.14.0';

/**
 * localstack-core 4.14.0 leaves these dependencies open, and their newer releases do not work
 * with it; pinned at the versions found working together.
 */
export const LOCALSTACK_REQUIREMENTS: readonly string[] = [
  `localstack-core[runtime]==${LOCALSTACK_VERSION}`,
  'cbor2<6',
  'pyopenssl==25.1.0',
  'cryptography<46',
  'service-identity<26',
];

/** localstack-core 4.14.0 uses syntax and imports of Python 3.13; 3.11 and 3.12 fail. */
export const LOCALSTACK_PYTHON_VERSION = '3.13';

/**
 * Services started in host mode, each working without Docker, Java or internet access.
 * Left out: dynamodb (downloads Java and DynamoDB Local at first use), batch and ecr (paid
 * plan). lambda is loaded anyway as a dependency of others, but its functions need Docker.
 */
export const LOCALSTACK_HOST_SERVICES: readonly AwsService[] = [
  'cloudformation',
  'cloudwatch',
  'ec2',
  'events',
  'iam',
  'kms',
  'logs',
  's3',
  'sns',
  'sqs',
  'ssm',
  'sts',
];

/** Listed by LocalStack's health yet unusable in host mode (see LACKS_ENV). */
export const LOCALSTACK_HOST_LACKS: readonly AwsService[] = ['lambda'];

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const VENV = join(PROJECT_ROOT, '.venv-localstack');
const VENV_PYTHON = join(VENV, 'bin', 'python');
/** What the virtualenv was installed with; a different list reinstalls it. */
const REQUIREMENTS_MARKER = join(VENV, 'gbi-requirements.txt');
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

function pythonVersion(python: string): string | undefined {
  try {
    return execFileSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Where a Python 3.13 is looked for, in order: LOCALSTACK_PYTHON, pyenv's versions, PATH. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const pyenvVersions = join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const fromPyenv = existsSync(pyenvVersions)
    ? readdirSync(pyenvVersions)
        .filter((name) => name.startsWith(`${LOCALSTACK_PYTHON_VERSION}.`))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
        .map((name) => join(pyenvVersions, name, 'bin', 'python3'))
    : [];
  return [
    ...(env.LOCALSTACK_PYTHON ? [env.LOCALSTACK_PYTHON] : []),
    ...fromPyenv,
    `python${LOCALSTACK_PYTHON_VERSION}`,
  ];
}

/** The first candidate that runs and is Python 3.13, or undefined with what was tried. */
export function findPython(env: NodeJS.ProcessEnv = process.env): {
  readonly python?: string;
  readonly tried: readonly string[];
} {
  const tried = pythonCandidates(env);
  const python = tried.find((candidate) => pythonVersion(candidate) === LOCALSTACK_PYTHON_VERSION);
  return { ...(python ? { python } : {}), tried };
}

/** Installs the pinned LocalStack into .venv-localstack/ unless it is there already. */
export function ensureLocalStackInstalled(python: string, log: (line: string) => void): string {
  const wanted = LOCALSTACK_REQUIREMENTS.join('\n') + '\n';
  if (existsSync(REQUIREMENTS_MARKER) && readFileSync(REQUIREMENTS_MARKER, 'utf8') === wanted) {
    return VENV_PYTHON;
  }
  log(`installing ${LOCALSTACK_REQUIREMENTS.join(' ')} into ${VENV} with ${python}`);
  execFileSync(python, ['-m', 'venv', '--clear', VENV], { stdio: 'inherit' });
  execFileSync(
    VENV_PYTHON,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...LOCALSTACK_REQUIREMENTS],
    { stdio: 'inherit' },
  );
  writeFileSync(REQUIREMENTS_MARKER, wanted);
  return VENV_PYTHON;
}

/**
 * The environment LocalStack runs with on this host, as a plain process without Docker.
 * Every variable is documented in LocalStack's configuration reference.
 */
export function localStackEnvironment(port: number, filesystemRoot: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    // The default server (twisted) binds every address whatever GATEWAY_LISTEN names.
    GATEWAY_SERVER: 'hypercorn',
    // No DNS server: it would bind port 53.
    DNS_ADDRESS: '0',
    // Both would reach the internet: a certificate download and usage analytics.
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DISABLE_EVENTS: '1',
    SERVICES: LOCALSTACK_HOST_SERVICES.join(','),
    // Queue URLs of the form http://127.0.0.1:<port>/queue/<region>/<account>/<name>, usable as is.
    SQS_ENDPOINT_STRATEGY: 'path',
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    // LocalStack takes this host's cgroup for a container and would write to /var/lib/localstack;
    // host mode keeps its files under FILESYSTEM_ROOT instead.
    OVERRIDE_IN_DOCKER: '0',
    FILESYSTEM_ROOT: filesystemRoot,
  };
}

async function waitUntilHealthy(
  endpoint: string,
  exited: () => boolean,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`LocalStack exited during start; see ${logFile}`);
    try {
      const response = await fetch(`${endpoint}/_localstack/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `LocalStack at ${endpoint}: not healthy within ${START_TIMEOUT_MS} ms; see ${logFile}`,
  );
}

/**
 * Starts the installed LocalStack on a free loopback port; its log and files go to `workDir`.
 * `stop()` ends that one process (SIGTERM, then SIGKILL after a grace period: its shutdown has
 * been seen to hang for more than 20 s after "Stopping all services").
 */
export async function startLocalStack(
  python: string,
  workDir: string,
  log: (line: string) => void,
): Promise<RunningEmulator> {
  mkdirSync(workDir, { recursive: true });
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const logFile = join(workDir, 'localstack.log');
  const output = openSync(logFile, 'w');
  const child = spawn(python, ['-m', 'localstack.runtime.main'], {
    env: localStackEnvironment(port, join(workDir, 'filesystem')),
    stdio: ['ignore', output, output],
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  try {
    await waitUntilHealthy(endpoint, exited, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  log(
    `LocalStack ${LOCALSTACK_VERSION} (pid ${child.pid}) listening on ${endpoint}; log ${logFile}`,
  );
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (exited()) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
