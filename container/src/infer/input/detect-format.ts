import { RecordError } from '../errors';

export type ImageFormat = 'png' | 'jpeg';
export type RecordsFormat = 'json' | 'jsonl' | 'csv';
export type InputFormat = ImageFormat | RecordsFormat;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const EXTENSIONS: Readonly<Record<string, InputFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  csv: 'csv',
};

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
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
