import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { LatencyDraw, LatencyProfile, validateLatencyProfile } from './latency-profile';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const SOURCE_DIR = join(__dirname, 's3-server');
const SOURCES = ['main.go', 'go.mod', 'go.sum'].map((file) => join(SOURCE_DIR, file));
/** Built output stays out of git, beside the emulator's other local state. */
export const S3_SERVER_BINARY = join(PROJECT_ROOT, '.emulator', 's3-server', 's3-server');

/** What the latency port saw, counted since the server started. */
export interface LatencyStats {
  /** Requests received. */
  readonly requests: number;
  /** Of those, how many drew a stall. */
  readonly stalls: number;
  /** Requests whose client went away before their delay was over (a retried stall). */
  readonly abandoned: number;
  /** Sum of the delays drawn, in ms. */
  readonly delayMs: number;
  /** Most requests open at once since the last reset: what the client really had in flight. */
  readonly peakInFlight: number;
}

export interface RunningS3Server {
  /** http://127.0.0.1:PORT, path-style S3. */
  readonly endpoint: string;
  /**
   * http://127.0.0.1:PORT of the same S3 with the latency profile's delay before each request
   * (undefined when started without a profile).
   */
  readonly latencyEndpoint?: string;
  readonly process: ChildProcess;
  /** The latency port's counts. */
  latencyStats(): Promise<LatencyStats>;
  /** Starts a new peak of requests in flight, counted from the requests open now. */
  resetPeakInFlight(): Promise<void>;
  stop(): Promise<void>;
}

/** The server's flags for a latency profile and seed. */
const profileArgs = (profile: LatencyProfile, seed: number): string[] => {
  validateLatencyProfile(profile);
  return [
    ...['-median-ms', String(profile.medianMs), '-p99-ms', String(profile.p99Ms)],
    ...['-stall-fraction', String(profile.stallFraction), '-stall-ms', String(profile.stallMs)],
    ...['-seed', String(seed)],
  ];
};

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

/**
 * Starts the in-memory S3 server on a free loopback port and resolves once it listens; with a
 * latency profile, also a second port where each request waits a delay drawn from the profile
 * (seeded, so a run can be replayed) before it is served. The delays are the server's own, in
 * Go: the Node proxy that held them before topped out near 2,600 GETs/s on the benchmark's
 * cores and became the limit the benchmark measured.
 */
export async function startS3Server(
  log: (line: string) => void = () => undefined,
  latency?: { readonly profile: LatencyProfile; readonly seed: number },
): Promise<RunningS3Server> {
  const binary = ensureS3Server(log);
  const args = ['serve', '-addr', '127.0.0.1:0', '-exit-with-stdin'];
  if (latency !== undefined) {
    args.push('-latency-addr', '127.0.0.1:0', ...profileArgs(latency.profile, latency.seed));
  }
  // Its stdin is a pipe from this process: when this process dies, the server exits too.
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let latencyEndpoint: string | undefined;
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
      latencyEndpoint ??= /^latency on (http:\/\/\S+)$/.exec(line)?.[1];
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveEndpoint(match[1]);
      }
    });
  });
  child.removeAllListeners('exit');
  log(`gofakes3 listening on ${endpoint}`);
  const stats = async (method: 'GET' | 'POST') => {
    const response = await fetch(`${endpoint}/__latency/stats`, { method });
    if (!response.ok) throw new Error(`s3-server latency stats: HTTP ${response.status}`);
    return (await response.json()) as LatencyStats;
  };
  return {
    endpoint,
    latencyEndpoint,
    process: child,
    latencyStats: () => stats('GET'),
    resetPeakInFlight: async () => {
      await stats('POST');
    },
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

/** `count` delays the server's latency port draws for `profile` from `seed`, in order. */
export function drawDelays(profile: LatencyProfile, seed: number, count: number): LatencyDraw[] {
  const out = execFileSync(
    ensureS3Server(),
    ['draw', '-count', String(count), ...profileArgs(profile, seed)],
    { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [ms, stalled] = line.split(' ');
      return { ms: Number(ms), stalled: stalled === '1' };
    });
}

// `npx tsx scripts/bench/io/s3-server.ts`: builds the server ahead of the tests (.ci/run).
if (require.main === module) {
  process.stdout.write(`${ensureS3Server((line) => process.stdout.write(`${line}\n`))}\n`);
}
