import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ManifestItem } from '../../../../lib/contracts/manifest';
import { LeanS3, leanS3 } from './lean-s3';
import type { RecordFailure } from './parse-records';
import { signedGetObject } from './signed-get';
import { AccessCall, EXAMPLE, listPrefix } from '../../../../lib/contracts/access';

export type Failure = Omit<RecordFailure, 'offset'>;

export type Download =
  | { readonly bytes: Uint8Array; readonly failure?: undefined }
  | { readonly bytes?: undefined; readonly failure: Failure };

export type OpenedObject =
  | { readonly body: Readable; readonly failure?: undefined }
  | { readonly body?: undefined; readonly failure: Failure };

export const tooLarge = (size: number, maxBytes: number): { failure: Failure } => ({
  failure: { code: 'TOO_LARGE', reason: `object is ${size} bytes, above the limit of ${maxBytes}` },
});

/** An object longer than its manifest size says, found while reading it. */
export const overLimit = (maxBytes: number): { failure: Failure } => ({
  failure: { code: 'TOO_LARGE', reason: `object is more than the limit of ${maxBytes} bytes` },
});

export const downloadFailed = (item: ManifestItem, error: unknown): Failure => {
  const { name, message } = error as Error;
  const url = `s3://${item.bucket}/${item.key}`;
  const reason =
    name !== 'PreconditionFailed'
      ? `${url}: ${name}: ${message}`
      : item.versionId === undefined
        ? `${url} changed since the manifest was written (etag ${item.etag} no longer matches)`
        : `${url} version ${item.versionId} is not the object the manifest names (etag ${item.etag} does not match)`;
  return { code: 'DOWNLOAD_FAILED', reason };
};

/**
 * How long each attempt at a GET waits for S3's first byte before it is given up and sent
 * again, after AWS's S3 performance guidelines for small requests: median latencies are tens of
 * milliseconds, so retry a GET that has not answered after 2 s, and once more after 4 s more.
 * The attempt after the last of these waits as long as the SDK lets it. An aborted request
 * closes its connection, so the retry goes out on a new one, as the guidelines also advise.
 */
export const FIRST_BYTE_TIMEOUTS_MS: readonly number[] = [2000, 4000];

/**
 * Which S3Clients read objects with the SDK's own GetObject: the latency benchmark's baseline.
 * Every other client's GETs go through `signedGetObject` on a lean client made from it.
 */
const sdkGets = new WeakSet<S3Client>();
const leanClients = new WeakMap<S3Client, LeanS3>();

/** Makes `openObject` read through `s3` with the SDK's GetObject (to compare the two paths). */
export function getObjectsWithSdk(s3: S3Client): S3Client {
  sdkGets.add(s3);
  return s3;
}

const leanClientOf = (s3: S3Client): LeanS3 => {
  let lean = leanClients.get(s3);
  if (lean === undefined) leanClients.set(s3, (lean = leanS3(s3)));
  return lean;
};

/**
 * The body of the exact object version the manifest names, as a stream: through
 * `signedGetObject`, or the SDK's GetObject for a client marked by `getObjectsWithSdk` and for a
 * bucket SigV4 cannot sign for (S3 Express directory buckets, multi-region access points). A
 * request that stalls before its first byte is re-issued after each of `firstByteTimeoutsMs` in
 * turn. Never throws: failures are values.
 */
export async function openObject(
  s3: S3Client,
  item: ManifestItem,
  firstByteTimeoutsMs: readonly number[] = FIRST_BYTE_TIMEOUTS_MS,
): Promise<OpenedObject> {
  if (!sdkGets.has(s3)) {
    const lean = leanClientOf(s3);
    const endpoint = await lean.endpoint(item.bucket).catch(() => null);
    if (endpoint !== undefined) {
      const got = await signedGetObject(lean, item, firstByteTimeoutsMs);
      if (got.body !== undefined) return { body: got.body };
      return { failure: downloadFailed(item, got.error) };
    }
  }
  return sdkOpenObject(s3, item, firstByteTimeoutsMs);
}

/** `openObject` through the SDK's GetObjectCommand. */
async function sdkOpenObject(
  s3: S3Client,
  item: ManifestItem,
  firstByteTimeoutsMs: readonly number[],
): Promise<OpenedObject> {
  const input = {
    Bucket: item.bucket,
    Key: item.key,
    ...(item.versionId !== undefined ? { VersionId: item.versionId } : {}),
    IfMatch: `"${item.etag.replace(/"/g, '')}"`,
  };
  for (let attempt = 0; ; attempt++) {
    const timeoutMs = firstByteTimeoutsMs[attempt];
    const stalled = new AbortController();
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => stalled.abort(), timeoutMs);
    try {
      const response = await s3.send(new GetObjectCommand(input), {
        abortSignal: stalled.signal,
      });
      return { body: response.Body as Readable };
    } catch (error) {
      if (!stalled.signal.aborted) return { failure: downloadFailed(item, error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The whole object version the manifest names, as `openObject` reads it. Objects over
 * `maxBytes` are refused without being read. Never throws: failures are values.
 */
export async function downloadObject(
  s3: S3Client,
  item: ManifestItem,
  maxBytes: number,
): Promise<Download> {
  if (item.size > maxBytes) return tooLarge(item.size, maxBytes);
  const opened = await openObject(s3, item);
  if (opened.failure) return opened;
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of opened.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return overLimit(maxBytes);
      chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { failure: downloadFailed(item, error) };
  } finally {
    opened.body.destroy();
  }
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [{ s3: 'input', key: EXAMPLE.inputKey }],
    why: 'reads an input the manifest names by its ETag (If-Match), when the event had no version',
  },
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObjectVersion',
    resources: [{ s3: 'input', key: EXAMPLE.inputKey }],
    context: { 's3:VersionId': EXAMPLE.versionId },
    why: 'reads the exact version of an input the manifest names (a versioned input bucket)',
  },
  // S3 answers a GetObject of a missing key with NoSuchKey only to a caller that may list it,
  // else with AccessDenied: Amazon S3 API Reference, GetObject, permissions.
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:ListBucket',
    resources: [{ s3: 'input' }],
    context: listPrefix(EXAMPLE.inputKey),
    why: 'an input deleted since its batch closed reads as NoSuchKey in its error record, not AccessDenied',
  },
];
