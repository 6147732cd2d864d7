import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { openObject } from '../../../container/src/infer/input/download-object';
import { LatencyProfile, NO_LATENCY } from '../../../scripts/bench/io/latency-profile';
import { LatencyProxy, startLatencyProxy } from '../../../scripts/bench/io/latency-proxy';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { uploadInputs } from '../../helpers/worker-batch-fixture';
import type { ManifestItem } from '../../../lib/contracts/manifest';

jest.setTimeout(90_000);

const direct = s3Client();
const constant = (ms: number): LatencyProfile => ({
  medianMs: ms,
  p99Ms: ms,
  stallFraction: 0,
  stallMs: 0,
});

async function withProxy<T>(profile: LatencyProfile, use: (proxy: LatencyProxy) => Promise<T>) {
  const proxy = await startLatencyProxy({
    upstream: process.env.AWS_ENDPOINT_URL!,
    profile,
    seed: 5,
  });
  try {
    return await use(proxy);
  } finally {
    await proxy.close();
  }
}

async function getText(endpoint: string, item: ManifestItem): Promise<string> {
  const { Body } = await s3Client(endpoint).send(
    new GetObjectCommand({ Bucket: item.bucket, Key: item.key }),
  );
  return Body!.transformToString();
}

describeOnEmulator(['s3'], 'latency proxy in front of the emulator', () => {
  let items: ManifestItem[];

  beforeAll(async () => {
    const bucket = await createBucket(direct);
    items = await uploadInputs(
      direct,
      bucket,
      Array.from({ length: 20 }, (_, i) => ({ key: `in/${i}.txt`, body: `object ${i}` })),
    );
  });

  it('holds each request for its drawn delay: delayed GETs take longer than pass-through ones', async () => {
    // given a proxy adding 100 ms to every request and one adding nothing
    await withProxy(constant(100), (delayed) =>
      withProxy(NO_LATENCY, async (passThrough) => {
        // when 10 GETs go through each, alternating so machine load hits both alike
        let delayedMs = 0;
        let passThroughMs = 0;
        for (const item of items.slice(0, 10)) {
          let began = performance.now();
          expect(await getText(delayed.endpoint, item)).toBe(`object ${item.key.match(/\d+/)![0]}`);
          delayedMs += performance.now() - began;
          began = performance.now();
          await getText(passThrough.endpoint, item);
          passThroughMs += performance.now() - began;
        }
        // then the delayed ones took at least the delay the proxy drew, and longer than the others
        expect(delayed.stats().requests).toBe(10);
        expect(delayed.stats().delayMs).toBeCloseTo(1000, 6);
        expect(delayedMs).toBeGreaterThanOrEqual(delayed.stats().delayMs);
        expect(delayedMs / passThroughMs).toBeGreaterThan(1);
      }),
    );
  });

  it('sees more than 50 GETs in flight from one S3 client (the SDK default pool capped it at 50)', async () => {
    // given a proxy holding each request 300 ms, long enough for all of them to be open at once
    await withProxy(constant(300), async (proxy) => {
      // when one client sends 120 GETs at once
      const s3 = s3Client(proxy.endpoint);
      await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          s3
            .send(new GetObjectCommand({ Bucket: items[0].bucket, Key: items[i % 20].key }))
            .then((r) => r.Body!.transformToString()),
        ),
      );
      // then all 120 were open at the proxy together
      expect(proxy.stats().peakInFlight).toBe(120);
    });
  });

  it('re-issues a GET that stalls before its first byte, and every object arrives whole', async () => {
    // given a proxy stalling half the requests for 30 s (longer than this test may run)
    const stalling = { medianMs: 5, p99Ms: 20, stallFraction: 0.5, stallMs: 30_000 };
    await withProxy(stalling, async (proxy) => {
      // when 20 objects are opened one after another, each attempt waiting 1 s for its first byte
      const s3 = s3Client(proxy.endpoint);
      const bodies: string[] = [];
      for (const item of items) {
        const opened = await openObject(s3, item, Array<number>(10).fill(1000));
        expect(opened.failure).toBeUndefined();
        bodies.push(
          await opened
            .body!.setEncoding('utf-8')
            .toArray()
            .then((c) => c.join('')),
        );
      }
      // then each body is its object's, the stalled attempts were given up, and retries replaced them
      expect(bodies).toEqual(items.map((_, i) => `object ${i}`));
      const stats = proxy.stats();
      expect(stats.abandoned).toBeGreaterThan(0);
      expect(stats.abandoned).toBe(stats.stalls);
      expect(stats.requests).toBe(items.length + stats.abandoned);
    });
  });
});
