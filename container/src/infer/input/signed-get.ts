import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManifestItem } from '../../../../lib/contracts/manifest';
import { getRequest, LeanS3, requestPath, signGet } from './lean-s3';
import { retryOf, s3ErrorOf } from './s3-get-error';

/** The body of a GET, or why there is none (an S3GetError or the network's error). */
export type Got =
  | { readonly body: Readable; readonly error?: undefined }
  | { readonly body?: undefined; readonly error: unknown };

/** The SDK standard retry strategy's backoff bases, in ms: full jitter up to base * 2^retry. */
const BACKOFF_BASE_MS = { transient: 100, throttled: 500 } as const;
const MAX_BACKOFF_MS = 20_000;

/**
 * The worker's input read: one GET of the exact object version the manifest names (its
 * versionId when it has one, and If-Match on its etag always, so an object overwritten since the
 * batch closed, or a version that is not the one notified, fails instead of being scored as the
 * wrong input), signed with SigV4 by the
 * SDK's signer with the S3Client's credentials and sent on the lean client's keep-alive pool.
 *
 * Each attempt waits for the first byte at most the next of `firstByteTimeoutsMs` (the last
 * attempt as long as it takes); a stalled attempt is re-sent at once, on a new connection since
 * the stalled one is closed. Throttling (SlowDown, 429), 5xx and reset connections are re-sent
 * after the SDK's full-jitter backoff, up to the client's maxAttempts in all. Never throws.
 *
 * Why not the SDK's GetObjectCommand: per small GET the SDK spends 0.77-1.07 ms of CPU on the
 * worker's main thread (0.35-0.42 ms with the network stubbed out), which capped a worker at
 * 500-850 one-object records/s on 2 cores whatever S3's latency; this path costs a fraction of
 * that (docs/benchmarks.md, "S3 latency"). Every other S3 call stays on the SDK.
 */
export async function signedGetObject(
  lean: LeanS3,
  item: ManifestItem,
  firstByteTimeoutsMs: readonly number[],
  random: () => number = Math.random,
): Promise<Got> {
  const endpoint = await lean.endpoint(item.bucket).catch((error: unknown) => ({ error }));
  if (endpoint === undefined || 'error' in endpoint) {
    return { error: endpoint?.error ?? new Error(`no SigV4 endpoint for bucket ${item.bucket}`) };
  }
  const get = getRequest(
    endpoint,
    item.key,
    { 'if-match': `"${item.etag.replace(/"/g, '')}"` },
    item.versionId === undefined ? {} : { versionId: item.versionId },
  );
  const maxAttempts = await lean.maxAttempts();
  for (let stalls = 0, retries = 0; ;) {
    try {
      const signed = await signGet(lean, endpoint, get);
      const response = await lean.agent.request({
        origin: get.origin,
        path: requestPath(signed),
        method: 'GET',
        headers: signed.headers,
        // undici closes the connection of a request that timed out: the retry gets a new one.
        headersTimeout: firstByteTimeoutsMs[stalls] ?? 0,
      });
      if (response.statusCode === 200) return { body: response.body };
      throw s3ErrorOf(response.statusCode, await response.body.text());
    } catch (error) {
      if ((error as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT') {
        stalls++;
        continue;
      }
      const retry = retryOf(error);
      if (retry === undefined || ++retries >= maxAttempts) return { error };
      const ceiling = Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS[retry] * 2 ** (retries - 1));
      await sleep(random() * ceiling);
    }
  }
}
