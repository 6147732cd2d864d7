import { LatencyProfile } from './latency-profile';
import { LatencyProxyProcess, startLatencyProxyProcess } from './latency-proxy-process';
import { RunningS3Server, startS3Server } from './s3-server';

export interface LatencyEndpoint {
  /** The proxy: S3 as the worker sees it, with the profile's latency. */
  readonly endpoint: string;
  /** The server itself, without injected latency (uploads, raw rates). */
  readonly direct: string;
  readonly server: RunningS3Server;
  readonly proxy: LatencyProxyProcess;
  stop(): Promise<void>;
}

/**
 * An S3 endpoint that is not the bottleneck, with S3's latency put back: the in-memory gofakes3
 * server behind the project's latency proxy, each in a process of its own, on loopback ports.
 */
export async function startLatencyEndpoint(
  profile: LatencyProfile,
  seed: string | number,
  log: (line: string) => void = () => undefined,
): Promise<LatencyEndpoint> {
  const server = await startS3Server(log);
  try {
    const proxy = await startLatencyProxyProcess({ upstream: server.endpoint, profile, seed });
    return {
      endpoint: proxy.endpoint,
      direct: server.endpoint,
      server,
      proxy,
      stop: async () => {
        await proxy.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
