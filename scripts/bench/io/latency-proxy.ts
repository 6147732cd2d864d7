import { Agent, createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatencyProfile, latencySampler } from './latency-profile';
import { seededRandom } from './seeded-random';

export interface LatencyProxyOptions {
  /** http://host:port of the S3 server the requests go on to. */
  readonly upstream: string;
  readonly profile: LatencyProfile;
  /**
   * Seed of the delays, so a run can be replayed.
   * @default 1
   */
  readonly seed?: string | number;
}

export interface LatencyProxyStats {
  /** Requests received. */
  readonly requests: number;
  /** Of those, how many drew a stall. */
  readonly stalls: number;
  /** Requests whose client went away before their delay was over (a retried stall). */
  readonly abandoned: number;
  /** Sum of the delays drawn, in ms. */
  readonly delayMs: number;
  /** Most requests open at once: what the client really had in flight. */
  readonly peakInFlight: number;
}

export interface LatencyProxy {
  /** http://127.0.0.1:PORT: use it as the S3 endpoint. */
  readonly endpoint: string;
  stats(): LatencyProxyStats;
  /** Starts a new peak: `peakInFlight` counts from now (and from the requests open now). */
  resetPeakInFlight(): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on a free loopback port that holds each request for a delay drawn from
 * `profile` before passing it on to `upstream`, so an S3 server on this machine answers with
 * S3's time to first byte. The delay comes before the request is forwarded: a client that
 * gives up waiting (a first-byte timeout) never reaches the server.
 */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const upstream = new URL(options.upstream);
  const delayOf = latencySampler(options.profile, seededRandom(options.seed ?? 1));
  // Every held request needs its own upstream connection once released: no cap.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const timers = new Set<NodeJS.Timeout>();
  const counts = { requests: 0, stalls: 0, abandoned: 0, delayMs: 0, peakInFlight: 0 };
  let inFlight = 0;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency proxy: upstream ${options.upstream}: ${error.message}`);
    });
    res.on('close', () => outgoing.destroy());
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    const delay = delayOf();
    counts.requests++;
    counts.delayMs += delay.ms;
    if (delay.stalled) counts.stalls++;
    counts.peakInFlight = Math.max(counts.peakInFlight, ++inFlight);
    let released = false;
    const timer = setTimeout(() => {
      timers.delete(timer);
      released = true;
      forward(req, res);
    }, delay.ms);
    timers.add(timer);
    res.on('close', () => {
      inFlight--;
      if (released) return;
      clearTimeout(timer);
      timers.delete(timer);
      counts.abandoned++;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ ...counts }),
    resetPeakInFlight: () => {
      counts.peakInFlight = inFlight;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
