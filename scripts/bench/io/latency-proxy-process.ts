/**
 * The latency proxy in a process of its own, so its HTTP work does not run on the benchmarked
 * worker's event loop (S3 does not run on the worker's CPU either). Started by
 * `startLatencyProxyProcess`; answers its parent's `stats` and `reset-peak` messages.
 */
import { fork } from 'node:child_process';
import { LatencyProxyOptions, LatencyProxyStats, startLatencyProxy } from './latency-proxy';

type Request = { readonly id: number; readonly kind: 'stats' | 'reset-peak' };
type Reply =
  | { readonly kind: 'ready'; readonly endpoint: string }
  | { readonly kind: 'reply'; readonly id: number; readonly stats: LatencyProxyStats };

export interface LatencyProxyProcess {
  readonly endpoint: string;
  stats(): Promise<LatencyProxyStats>;
  /** Starts a new peak of requests in flight, as LatencyProxy.resetPeakInFlight does. */
  resetPeakInFlight(): Promise<void>;
  close(): Promise<void>;
}

/** Forks this file as a proxy process for `options` and resolves once it listens. */
export async function startLatencyProxyProcess(
  options: LatencyProxyOptions,
): Promise<LatencyProxyProcess> {
  const child = fork(__filename, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (stats: LatencyProxyStats) => void>();
  let nextId = 0;
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`latency proxy exited with code ${code}`)));
    child.on('message', (reply: Reply) => {
      if (reply.kind === 'ready') resolve(reply.endpoint);
      else waiting.get(reply.id)?.(reply.stats);
    });
  });
  child.removeAllListeners('exit');
  const ask = (kind: Request['kind']) =>
    new Promise<LatencyProxyStats>((resolve) => {
      const id = nextId++;
      waiting.set(id, (stats) => {
        waiting.delete(id);
        resolve(stats);
      });
      child.send({ id, kind } satisfies Request);
    });
  return {
    endpoint,
    stats: () => ask('stats'),
    resetPeakInFlight: async () => {
      await ask('reset-peak');
    },
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

async function serve(options: LatencyProxyOptions) {
  const proxy = await startLatencyProxy(options);
  process.on('message', (request: Request) => {
    if (request.kind === 'reset-peak') proxy.resetPeakInFlight();
    process.send!({ kind: 'reply', id: request.id, stats: proxy.stats() } satisfies Reply);
  });
  process.once('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
  // The parent going away (killed) ends the proxy too.
  process.once('disconnect', () => void proxy.close().then(() => process.exit(0)));
  process.send!({ kind: 'ready', endpoint: proxy.endpoint } satisfies Reply);
}

if (require.main === module) {
  void serve(JSON.parse(process.argv[2]) as LatencyProxyOptions);
}
