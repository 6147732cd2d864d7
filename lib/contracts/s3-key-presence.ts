import {
  GetObjectCommand,
  GetObjectCommandInput,
  GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { formatS3Url } from './s3-location';

/**
 * Nothing here takes a failed read for a missing key. S3 answers the GET of a missing key with
 * 404 NoSuchKey only to a caller allowed s3:ListBucket, and with 403 AccessDenied to anyone else
 * (Amazon S3 API Reference, GetObject, "Permissions"), and how a ListBucket grant limited by an
 * s3:prefix condition counts is not documented. Whether a key exists is asked of a listing
 * instead, with the key itself as the prefix.
 */

/** A read of a key that has to be there failed; names the key, S3's error is the cause. */
export class ObjectReadError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const { name, message } = cause as Error;
    super(`${url}: not readable (${name}: ${message})`, { cause });
    this.name = 'ObjectReadError';
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** What S3 answers for a missing key, depending on the caller's rights: 404 or 403. */
export function isMissingOrDenied(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 404 || status === 403;
}

/**
 * Whether `key` exists, from a listing with the key as its prefix (s3:prefix is the key, so a
 * ListBucket grant on any prefix of it allows the call). Keys list in UTF-8 binary order and
 * the key is a prefix of every other key the listing can return, so it comes first if it is
 * there at all: one key is enough.
 */
export async function keyExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return page.Contents?.[0]?.Key === key;
}

/** Whether any key starts with `prefix` (a "directory" that has been written to). */
export async function anyKeyUnder(s3: S3Client, bucket: string, prefix: string): Promise<boolean> {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }),
  );
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}

/**
 * GetObject of a key that has to exist; any failure is an ObjectReadError naming the key
 * (S3's AccessDenied names nothing).
 */
export async function getExistingObject(
  s3: S3Client,
  input: GetObjectCommandInput & { Bucket: string; Key: string },
): Promise<GetObjectCommandOutput> {
  try {
    return await s3.send(new GetObjectCommand(input));
  } catch (error) {
    throw new ObjectReadError(formatS3Url({ bucket: input.Bucket, key: input.Key }), error);
  }
}

/**
 * GetObject of a key that may be missing: undefined when it is. The GET goes first, since the
 * key usually exists; only when it fails with 403 or 404 does a listing decide. A key the
 * listing shows is read once more (it may have been created in between); a failure then is an
 * ObjectReadError. Without s3:ListBucket the listing fails with AccessDenied, which is thrown.
 */
export async function getObjectIfExists(
  s3: S3Client,
  input: GetObjectCommandInput & { Bucket: string; Key: string },
): Promise<GetObjectCommandOutput | undefined> {
  try {
    return await s3.send(new GetObjectCommand(input));
  } catch (error) {
    if (!isMissingOrDenied(error)) throw error;
  }
  if (!(await keyExists(s3, input.Bucket, input.Key))) return undefined;
  return getExistingObject(s3, input);
}
