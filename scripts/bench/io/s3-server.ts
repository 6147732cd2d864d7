import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const SOURCE_DIR = join(__dirname, 's3-server');
const SOURCES = ['main.go', 'go.mod', 'go.sum'].map((file) => join(SOURCE_DIR, file));
/** Built output stays out of git, beside the emulator's other local state. */
export const S3_SERVER_BINARY = join(PROJECT_ROOT, '.emulator', 's3-server', 's3-server');

export interface RunningS3Server {
  /** http://127.0.0.1:PORT, path-style S3. */
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Builds the gofakes3 server (scripts/bench/io/s3-server) with `go build` when the binary is
 * missing or older than its sources; the Go toolchain fetches the pinned module versions of
 * go.sum through its module proxy on first use.
 */
export function ensureS3Server(log: (line: string) => void = () => undefined): string {
  const built = existsSync(S3_SERVER_BINARY) ? statSync(S3_SERVER_BINARY).mtimeMs : 0;
  if (SOURCES.every((file) => statSync(file).mtimeMs <= built)) return S3_SERVER_BINARY;
  log(`building the gofakes3 server into ${S3_SERVER_BINARY}`);
  mkdirSync(join(S3_SERVER_BINARY, '..'), { recursive: true });
  execFileSync('go', ['build', '-o', S3_SERVER_BINARY, '.'], {
    cwd: SOURCE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return S3_SERVER_BINARY;
}

/** Starts the in-memory S3 server on a free loopback port and resolves once it listens. */
export async function startS3Server(
  log: (line: string) => void = () => undefined,
): Promise<RunningS3Server> {
  const binary = ensureS3Server(log);
  // Its stdin is a pipe from this process: when this process dies, the server exits too.
  const child = spawn(binary, ['serve', '-addr', '127.0.0.1:0', '-exit-with-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3-server did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3-server exited with code ${code} before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveEndpoint(match[1]);
      }
    });
  });
  child.removeAllListeners('exit');
  log(`gofakes3 listening on ${endpoint}`);
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * GETs/s the server itself sustains for one small object, from the Go load generator in the
 * same binary (`concurrency` keep-alive connections for `seconds`): the server's rate without
 * the Node client in the way.
 */
export function serverGetRate(url: string, seconds: number, concurrency: number): number {
  const out = execFileSync(
    S3_SERVER_BINARY,
    ['get-rate', '-url', url, '-seconds', String(seconds), '-concurrency', String(concurrency)],
    { encoding: 'utf-8' },
  );
  const [requests, elapsed] = out.trim().split(/\s+/).map(Number);
  return requests / elapsed;
}

// `npx tsx scripts/bench/io/s3-server.ts`: builds the server ahead of the tests (.ci/run).
if (require.main === module) {
  process.stdout.write(`${ensureS3Server((line) => process.stdout.write(`${line}\n`))}\n`);
}
