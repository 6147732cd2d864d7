import type { BufferItem, SkipReason } from './buffer-item';
import { EventParseError } from './errors';

/** Which keys of the input bucket are batched; a listing (backfill) has only keys. */
export interface KeyFilter {
  readonly prefix: string;
  /** Empty accepts every suffix. */
  readonly suffixes: readonly string[];
}

/** Which notified objects are batched. */
export interface InputFilter extends KeyFilter {
  /**
   * The one bucket whose objects are batched. Anyone allowed to send to the queue (or a
   * misconfigured notification, say on the results bucket) could otherwise put objects into
   * a batch that the worker may not read, and their failures would count against the error
   * budget of the legitimate files in the same shard.
   */
  readonly bucket: string;
}

export interface SkippedObject {
  readonly reason: SkipReason;
  readonly detail: string;
}

export interface ParsedMessage {
  readonly items: readonly BufferItem[];
  readonly skipped: readonly SkippedObject[];
}

/**
 * S3 URL-encodes keys in notifications the way HTML forms do: a space becomes '+', everything
 * else non-safe is percent-encoded UTF-8
 * (Amazon S3 User Guide, "Event message structure").
 */
export function decodeS3Key(encoded: string): string {
  if (!encoded.includes('%') && !encoded.includes('+')) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new EventParseError(`s3.object.key: not valid URL encoding: '${encoded}'`);
  }
}

/** Why `key` is not batched under `filter`, or undefined when it is. */
export function filterReason(key: string, filter: KeyFilter): SkipReason | undefined {
  if (!key.startsWith(filter.prefix)) return 'outside-prefix';
  if (key.endsWith('/')) return 'folder-marker';
  if (filter.suffixes.length > 0 && !filter.suffixes.some((suffix) => key.endsWith(suffix))) {
    return 'suffix-not-accepted';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths split once: parsing runs per record, at tens of thousands of records per second. */
const PATHS = {
  eventName: ['eventName'],
  bucket: ['s3', 'bucket', 'name'],
  key: ['s3', 'object', 'key'],
  size: ['s3', 'object', 'size'],
  eTag: ['s3', 'object', 'eTag'],
  versionId: ['s3', 'object', 'versionId'],
} as const;

function at(record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const part of path) {
    value = isObject(value) ? value[part] : undefined;
  }
  return value;
}

function field<T>(
  record: Record<string, unknown>,
  path: readonly string[],
  check: (v: unknown) => v is T,
): T {
  const value = at(record, path);
  if (!check(value)) {
    throw new EventParseError(`${path.join('.')}: missing or of the wrong type`);
  }
  return value;
}

const OBJECT_CREATED = 'ObjectCreated:';

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isSize = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseRecord(
  record: unknown,
  index: number,
  filter: InputFilter,
): BufferItem | SkippedObject {
  if (!isObject(record)) {
    throw new EventParseError(`Records[${index}]: expected an object`);
  }
  try {
    const eventName = field(record, PATHS.eventName, isString);
    const bucket = field(record, PATHS.bucket, isString);
    const key = decodeS3Key(field(record, PATHS.key, isString));
    if (!eventName.startsWith(OBJECT_CREATED)) {
      return { reason: 'not-object-created', detail: `${eventName} s3://${bucket}/${key}` };
    }
    // S3 always names the API that created the object (Put, Post, Copy,
    // CompleteMultipartUpload); a bare category is not a notification S3 writes.
    if (eventName.length === OBJECT_CREATED.length) {
      throw new EventParseError(
        `eventName: '${eventName}' names no event type after the colon (S3 sends e.g. 'ObjectCreated:Put')`,
      );
    }
    if (bucket !== filter.bucket)
      return { reason: 'foreign-bucket', detail: `s3://${bucket}/${key}` };
    const reason = filterReason(key, filter);
    if (reason) return { reason, detail: `s3://${bucket}/${key}` };
    const versionId = at(record, PATHS.versionId);
    return {
      bucket,
      key,
      size: field(record, PATHS.size, isSize),
      etag: field(record, PATHS.eTag, isString),
      ...(isString(versionId) ? { versionId } : {}),
    };
  } catch (error) {
    if (error instanceof EventParseError) {
      throw new EventParseError(`Records[${index}].${error.message}`);
    }
    throw error;
  }
}

/**
 * Parses one SQS message body holding an S3 event notification. Throws EventParseError naming
 * what was wrong when the body, or any of its records, is not a valid notification.
 */
export function parseS3EventBody(body: string, filter: InputFilter): ParsedMessage {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (error) {
    throw new EventParseError(`body: not JSON (${(error as Error).message})`);
  }
  if (!isObject(event)) {
    throw new EventParseError('body: expected a JSON object');
  }
  // S3 sends this once when the notification is configured; it names no object. S3 never
  // puts Records beside it, so a body with both is malformed: acknowledging it would drop
  // the records without a word, and guessing which half is meant could batch objects nobody
  // notified, so it is rejected whole (retried, then kept in the DLQ with this reason).
  if (event.Event === 's3:TestEvent') {
    if (event.Records !== undefined) {
      throw new EventParseError(
        'body: an s3:TestEvent that also carries Records; S3 sends the test event alone',
      );
    }
    return { items: [], skipped: [{ reason: 'test-event', detail: String(event.Bucket) }] };
  }
  if (!Array.isArray(event.Records)) {
    throw new EventParseError('body.Records: expected an array of S3 event records');
  }
  const items: BufferItem[] = [];
  const skipped: SkippedObject[] = [];
  event.Records.forEach((record, index) => {
    const parsed = parseRecord(record, index, filter);
    if ('reason' in parsed) skipped.push(parsed);
    else items.push(parsed);
  });
  return { items, skipped };
}
