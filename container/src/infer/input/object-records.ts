import type { MemberRef } from '../../../../lib/contracts/manifest';
import type { InputSpec } from '../../../../lib/contracts/registry';
import { RecordError } from '../errors';
import type { DecodeLimits } from './decode-image';
import { detectArchive, detectFormat, isImageFormat } from './detect-format';
import { imageInput } from './image-input';
import { parseRecords, RecordFailure } from './parse-records';

/**
 * One record ready for the model: its offset inside the source object (or archive member) and
 * its input values.
 */
export interface Sample {
  readonly offset: number;
  readonly input: Float32Array;
  /** The archive member it is in, when the object is an archive. */
  readonly member?: MemberRef;
}

export interface ObjectRecords {
  readonly samples: readonly Sample[];
  readonly failures: readonly RecordFailure[];
  readonly skipped: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RecordError('DECODE_FAILED', 'records file is not valid UTF-8 text');
  }
}

function readObject(
  key: string,
  bytes: Uint8Array,
  spec: InputSpec,
  limits: DecodeLimits,
): ObjectRecords {
  if (bytes.length === 0) {
    throw new RecordError('EMPTY_OBJECT', 'object is empty (0 bytes)');
  }
  // Only archive members get here with archive content: archives are streamed before this.
  if (detectArchive(key, bytes) !== undefined) {
    throw new RecordError('UNSUPPORTED_FORMAT', 'an archive inside an archive is not read');
  }
  const format = detectFormat(key, bytes);
  const mismatch = () =>
    new RecordError(
      'UNSUPPORTED_FORMAT',
      `the model takes ${spec.kind === 'image' ? 'images' : 'numeric feature records'}, this object is ${format.toUpperCase()}`,
    );
  if (spec.kind === 'image') {
    if (!isImageFormat(format)) throw mismatch();
    const input = imageInput(format, bytes, spec, limits);
    return { samples: [{ offset: 0, input }], failures: [], skipped: 0 };
  }
  if (isImageFormat(format)) throw mismatch();
  const parsed = parseRecords(format, decodeText(bytes), spec);
  return {
    samples: parsed.records.map((record) => ({ offset: record.offset, input: record.values })),
    failures: parsed.failures,
    skipped: parsed.skipped,
  };
}

/**
 * Every record of one downloaded object as model inputs, plus the records that cannot be
 * scored with the reason. An object that cannot be read at all is one failure at offset 0.
 */
export function objectRecords(
  key: string,
  bytes: Uint8Array,
  spec: InputSpec,
  limits: DecodeLimits,
): ObjectRecords {
  try {
    return readObject(key, bytes, spec, limits);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return {
      samples: [],
      failures: [{ offset: 0, code: error.code, reason: error.message }],
      skipped: 0,
    };
  }
}
