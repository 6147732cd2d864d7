import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ManifestItem } from '../../../../lib/contracts/manifest';
import { RecordError } from '../errors';
import { ArchiveFormat, ARCHIVE_SIGNATURE_BYTES, detectArchive } from './detect-format';
import { downloadFailed, Failure, openObject, overLimit, tooLarge } from './download-object';

export interface InputLimits {
  /** Largest object read whole into memory (`--max-object-bytes`). */
  readonly maxObjectBytes: number;
  /** Most tar bytes of an archive (`--max-archive-bytes`), which is streamed, not held. */
  readonly maxArchiveBytes: number;
}

export type Input =
  | { readonly kind: 'failed'; readonly failure: Failure }
  | { readonly kind: 'object'; readonly bytes: Uint8Array }
  /** The archive's bytes from its start, streamed as the reader asks for them. */
  | { readonly kind: 'archive'; readonly format: ArchiveFormat; readonly body: Readable };

/**
 * Reads an input object far enough to know what it is: an archive is returned as a stream to
 * read entry by entry, any other object whole. An object over both limits is refused from its
 * manifest size, without a request; one that is not an archive, once its first bytes show it.
 * Never throws: failures are values.
 */
export async function readInput(
  s3: S3Client,
  item: ManifestItem,
  limits: InputLimits,
): Promise<Input> {
  const largest = Math.max(limits.maxObjectBytes, limits.maxArchiveBytes);
  if (item.size > largest) return { kind: 'failed', ...tooLarge(item.size, largest) };
  const opened = await openObject(s3, item);
  if (opened.failure) return { kind: 'failed', failure: opened.failure };
  const body = opened.body;
  const chunks = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  let format: ArchiveFormat | undefined;
  try {
    while (size < ARCHIVE_SIGNATURE_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      size += next.value.length;
    }
    // An empty object is EMPTY_OBJECT whatever its name, as objectRecords says.
    format = size === 0 ? undefined : detectArchive(item.key, Buffer.concat(head));
  } catch (error) {
    body.destroy();
    const failure =
      error instanceof RecordError
        ? { code: error.code, reason: error.message }
        : downloadFailed(item, error);
    return { kind: 'failed', failure };
  }
  if (format !== undefined) {
    async function* rest(): AsyncGenerator<Uint8Array> {
      yield* head;
      try {
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          yield next.value;
        }
      } catch (error) {
        const { code, reason } = downloadFailed(item, error);
        throw new RecordError(code, reason);
      } finally {
        body.destroy();
      }
    }
    return { kind: 'archive', format, body: Readable.from(rest(), { objectMode: false }) };
  }
  if (item.size > limits.maxObjectBytes) {
    body.destroy();
    return { kind: 'failed', ...tooLarge(item.size, limits.maxObjectBytes) };
  }
  try {
    while (!ended) {
      const next = await chunks.next();
      if (next.done) break;
      size += next.value.length;
      if (size > limits.maxObjectBytes)
        return { kind: 'failed', ...overLimit(limits.maxObjectBytes) };
      head.push(next.value);
    }
    return { kind: 'object', bytes: Buffer.concat(head) };
  } catch (error) {
    return { kind: 'failed', failure: downloadFailed(item, error) };
  } finally {
    body.destroy();
  }
}
