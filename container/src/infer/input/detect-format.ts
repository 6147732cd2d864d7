import { RecordError } from '../errors';

export type ImageFormat = 'png' | 'jpeg';
export type RecordsFormat = 'json' | 'jsonl' | 'csv';
export type InputFormat = ImageFormat | RecordsFormat;
export type ArchiveFormat = 'tar' | 'tar+gzip';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const GZIP_SIGNATURE = [0x1f, 0x8b];
/** POSIX (and GNU) tar headers carry `ustar` at byte 257 of each 512-byte header block. */
const USTAR_OFFSET = 257;
const USTAR_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72];
/** Bytes of an object's start that `detectArchive` needs to see. */
export const ARCHIVE_SIGNATURE_BYTES = USTAR_OFFSET + USTAR_MAGIC.length;
const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz)$/i;

const EXTENSIONS: Readonly<Record<string, InputFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  csv: 'csv',
};

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((byte, i) => bytes[at + i] === byte);
}

export function isImageFormat(format: InputFormat): format is ImageFormat {
  return format === 'png' || format === 'jpeg';
}

/**
 * The format of an input object. Image signatures win over the key's extension, so a PNG named
 * `.jpg` still decodes; records formats have no signature and are known by extension only.
 */
export function detectFormat(key: string, bytes: Uint8Array): InputFormat {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'jpeg';
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  const byName = EXTENSIONS[extension];
  if (byName === undefined) {
    throw new RecordError(
      'UNSUPPORTED_FORMAT',
      `unsupported input: no PNG/JPEG signature and extension '.${extension}' is not one of ${Object.keys(EXTENSIONS).join(', ')}`,
    );
  }
  if (isImageFormat(byName)) {
    throw new RecordError(
      'DECODE_FAILED',
      `named .${extension} but the content has no ${byName.toUpperCase()} signature`,
    );
  }
  return byName;
}

/**
 * Whether an object is a tar archive, from its first ARCHIVE_SIGNATURE_BYTES bytes: gzip
 * content is taken for a gzipped tar (the tar reader says so if it is not one), a ustar header
 * for a tar. As with images, the content decides; a name that promises an archive the content
 * does not hold is a failure rather than a guess. Pre-POSIX (v7) tars, which have no magic,
 * are not recognised.
 */
export function detectArchive(key: string, head: Uint8Array): ArchiveFormat | undefined {
  if (startsWith(head, GZIP_SIGNATURE)) return 'tar+gzip';
  if (startsWith(head, USTAR_MAGIC, USTAR_OFFSET)) return 'tar';
  const named = ARCHIVE_NAME.exec(key)?.[0];
  if (named !== undefined) {
    throw new RecordError(
      'DECODE_FAILED',
      `named ${named} but the content has neither a gzip signature nor a tar (ustar) header`,
    );
  }
  return undefined;
}
