import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { getObjectsWithSdk, openObject } from '../../../container/src/infer/input/download-object';
import {
  LatencyProfile,
  NO_LATENCY,
  S3_SMALL_GET_PROFILE,
} from '../../../scripts/bench/io/latency-profile';
import { drawDelays, RunningS3Server, startS3Server } from '../../../scripts/bench/io/s3-server';
import { createBucket } from '../../helpers/emulator-resources';
import { uploadInputs } from '../../helpers/worker-batch-fixture';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(90_000);

const constant = (ms: number): LatencyProfile => ({
  medianMs: ms,
  p99Ms: ms,
  stallFraction: 0,
  stallMs: 0,
});

/** The Go S3 server with a latency port for `profile`, holding the 20 objects of `items`. */
async function withServer<T>(
  profile: LatencyProfile,
  use: (server: RunningS3Server, items: ManifestItem[]) => Promise<T>,
) {
  const server = await startS3Server(undefined, { profile, seed: 5 });
  try {
    const direct = s3Client(server.endpoint);
    const items = await uploadInputs(
      direct,
      await createBucket(direct),
      Array.from({ length: 20 }, (_, i) => ({ key: `in/${i}.txt`, body: `object ${i}` })),
    );
    return await use(server, items);
  } finally {
    await server.stop();
  }
}

async function getText(endpoint: string, item: ManifestItem): Promise<string> {
  const { Body } = await s3Client(endpoint).send(
    new GetObjectCommand({ Bucket: item.bucket, Key: item.key }),
  );
  return Body!.transformToString();
}

const bodyOf = async (opened: Awaited<ReturnType<typeof openObject>>) => {
  expect(opened.failure).toBeUndefined();
  const chunks = await opened.body!.setEncoding('utf-8').toArray();
  return chunks.join('');
};

describeOnEmulator([], "the S3 server's latency port", () => {
  beforeAll(() => {
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  });

  it('holds each request for its drawn delay: delayed GETs take longer than direct ones', async () => {
    // given a server adding 100 ms to every request on its latency port
    await withServer(constant(100), async (server, items) => {
      // when 10 GETs go to each port, alternating so machine load hits both alike
      let delayedMs = 0;
      let directMs = 0;
      for (const item of items.slice(0, 10)) {
        let began = performance.now();
        expect(await getText(server.latencyEndpoint!, item)).toBe(
          `object ${item.key.match(/\d+/)![0]}`,
        );
        delayedMs += performance.now() - began;
        began = performance.now();
        await getText(server.endpoint, item);
        directMs += performance.now() - began;
      }
      // then the delayed ones took at least the delay drawn, and longer than the direct ones
      const stats = await server.latencyStats();
      expect(stats.requests).toBe(10);
      expect(stats.delayMs).toBeCloseTo(1000, 6);
      expect(delayedMs).toBeGreaterThanOrEqual(stats.delayMs);
      expect(delayedMs / directMs).toBeGreaterThan(1);
    });
  });

  it.each([
    ['the lean GET', (endpoint: string) => s3Client(endpoint)],
    [
      "the SDK's GetObject (its default pool capped it at 50)",
      (endpoint: string) => getObjectsWithSdk(s3Client(endpoint)),
    ],
  ])('sees more than 50 GETs in flight from one S3 client through %s', async (_, client) => {
    // given a latency port holding each request 300 ms, long enough for all to be open at once
    await withServer(constant(300), async (server, items) => {
      // when one client opens 120 objects at once
      const s3 = client(server.latencyEndpoint!);
      await server.resetPeakInFlight();
      await Promise.all(
        Array.from({ length: 120 }, (_, i) => openObject(s3, items[i % 20]).then(bodyOf)),
      );
      // then all 120 were open at the server together
      expect((await server.latencyStats()).peakInFlight).toBe(120);
    });
  });

  it('lets a GET stalled before its first byte be re-issued, and every object arrives whole', async () => {
    // given a latency port stalling half the requests for 30 s (longer than this test may run)
    const stalling = { medianMs: 5, p99Ms: 20, stallFraction: 0.5, stallMs: 30_000 };
    await withServer(stalling, async (server, items) => {
      // when 20 objects are opened one after another, each attempt waiting 1 s for its first byte
      const s3 = s3Client(server.latencyEndpoint!);
      const bodies: string[] = [];
      for (const item of items) {
        bodies.push(await bodyOf(await openObject(s3, item, Array<number>(10).fill(1000))));
      }
      // then each body is its object's, the stalled attempts were given up, and retries replaced them
      expect(bodies).toEqual(items.map((_, i) => `object ${i}`));
      const stats = await server.latencyStats();
      expect(stats.abandoned).toBeGreaterThan(0);
      expect(stats.abandoned).toBe(stats.stalls);
      expect(stats.requests).toBe(items.length + stats.abandoned);
    });
  });
});

const DRAWS = 100_000;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function draws(profile: typeof S3_SMALL_GET_PROFILE, seed: number, count = DRAWS) {
  return drawDelays(profile, seed, count);
}

describeOnEmulator([], "the S3 server's latency draws", () => {
  it('draws a lognormal body whose median and p99 are the profile’s, within 3%', () => {
    // given the default profile without its stalls
    const profile = { ...S3_SMALL_GET_PROFILE, stallFraction: 0 };
    // when 100,000 delays are drawn from one seed
    const sorted = draws(profile, 7)
      .map((d) => d.ms)
      .sort((a, b) => a - b);
    // then the sample's median and 99th percentile are the configured ones
    expect(Math.abs(quantile(sorted, 0.5) / profile.medianMs - 1)).toBeLessThan(0.03);
    expect(Math.abs(quantile(sorted, 0.99) / profile.p99Ms - 1)).toBeLessThan(0.03);
  });

  it('stalls the configured fraction of requests for the stall time, within 10%', () => {
    // given one request in a hundred stalling for 10 s
    const profile = { ...S3_SMALL_GET_PROFILE, stallFraction: 0.01 };
    // when 100,000 delays are drawn
    const stalled = draws(profile, 11).filter((d) => d.stalled);
    // then about 1,000 stalled, each for exactly the stall time
    expect(Math.abs(stalled.length / (DRAWS * 0.01) - 1)).toBeLessThan(0.1);
    expect(new Set(stalled.map((d) => d.ms))).toEqual(new Set([10_000]));
  });

  it('replays the same delays from the same seed, and others from another', () => {
    // given two draws from one seed and one from another
    const a = draws(S3_SMALL_GET_PROFILE, 3, 50).map((d) => d.ms);
    const b = draws(S3_SMALL_GET_PROFILE, 3, 50).map((d) => d.ms);
    const c = draws(S3_SMALL_GET_PROFILE, 4, 50).map((d) => d.ms);
    // then the first two agree draw for draw and the third does not
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('adds no delay with the no-latency profile', () => {
    // given no latency
    // when delays are drawn
    // then every one is zero and none stalls
    expect(draws(NO_LATENCY, 1, 1000).every((d) => d.ms === 0 && !d.stalled)).toBe(true);
  });

  it('draws a constant delay when median and p99 agree', () => {
    // given median = p99 = 40 ms
    const profile = { medianMs: 40, p99Ms: 40, stallFraction: 0, stallMs: 0 };
    // when delays are drawn
    // then each is 40 ms
    expect(new Set(draws(profile, 1, 100).map((d) => d.ms))).toEqual(new Set([40]));
  });
});
