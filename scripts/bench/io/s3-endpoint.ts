import { LatencyProfile } from './latency-profile';
import { RunningS3Server, startS3Server } from './s3-server';

export interface LatencyEndpoint {
  /** The latency port: S3 as the worker sees it, with the profile's latency. */
  readonly endpoint: string;
  /** The server itself, without injected latency (uploads, raw rates). */
  readonly direct: string;
  readonly server: RunningS3Server;
  stop(): Promise<void>;
}

/**
 * An S3 endpoint that is not the bottleneck, with S3's latency put back: the in-memory gofakes3
 * server with its latency port, in a process of its own, on loopback ports.
 */
export async function startLatencyEndpoint(
  profile: LatencyProfile,
  seed: number,
  log: (line: string) => void = () => undefined,
): Promise<LatencyEndpoint> {
  const server = await startS3Server(log, { profile, seed });
  return {
    endpoint: server.latencyEndpoint!,
    direct: server.endpoint,
    server,
    stop: () => server.stop(),
  };
}
