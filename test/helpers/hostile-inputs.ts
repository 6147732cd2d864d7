import * as fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { deflateSync } from 'node:zlib';
import {
  encodePngFile,
  ihdr,
  PNG_CHANNELS,
  PNG_SIGNATURE,
  pngChunk,
  pngOfTinyChunks,
} from './png-encoder';

/**
 * fast-check generators of inputs the worker reads (PNG, JPEG, JSON, JSONL, CSV): valid ones
 * and malformed, truncated, huge, deeply nested and adversarial ones, each tagged with whether
 * it must score, so a property can say exactly which records must fail.
 */

/** The features model the records generators are written for. */
export const FEATURES = ['a', 'b', 'c'] as const;

export interface GeneratedRecord {
  /** The record's text: a JSON value, or the cells of a CSV row. */
  readonly text: string;
  readonly good: boolean;
}

const finite = fc.double({ min: -1e30, max: 1e30, noNaN: true, noDefaultInfinity: true });
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const HUGE = 'x'.repeat(2 * 1024 * 1024);

/** One JSON record for a three-feature model: an array or an object, well-formed or not. */
export const jsonRecord: fc.Arbitrary<GeneratedRecord> = fc.oneof(
  fc.tuple(finite, finite, finite).map((v) => ({ text: JSON.stringify(v), good: true })),
  fc
    .tuple(finite, finite, finite)
    .map(([a, b, c]) => ({ text: JSON.stringify({ c, b, a }), good: true })),
  fc
    .array(finite, { maxLength: 6 })
    .filter((v) => v.length !== 3)
    .map((v) => ({
      text: JSON.stringify(v),
      good: false,
    })),
  fc
    .constantFrom(
      `[${nested(100_000)}, 1, 2]`,
      `{"a": ${nested(50_000)}, "b": 1, "c": 2}`,
      `[1, "${HUGE}", 3]`,
      '[1e999, 2, 3]',
      '[1, -1e39, 3]',
      '{"a": 1, "b": 2}',
      '[null, true, {}]',
      '"just a string"',
      '42',
      'null',
    )
    .map((text) => ({ text, good: false })),
  fc
    .string({ unit: 'grapheme', maxLength: 40 })
    .map((s) => ({ text: JSON.stringify([1, s, 3]), good: false })),
);

/** A JSONL line that is not JSON at all: truncated, binary-ish or random text. */
const brokenLine: fc.Arbitrary<GeneratedRecord> = fc.oneof(
  jsonRecord
    .filter((r) => r.text.length > 2)
    .chain((r) => fc.nat({ max: r.text.length - 2 }).map((n) => r.text.slice(0, n + 1)))
    .filter((text) => !isJson(text) && text.trim().length > 0)
    .map((text) => ({ text, good: false })),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
    .filter((text) => !/[\r\n]/.test(text) && text.trim().length > 0 && !isJson(text))
    .map((text) => ({ text, good: false })),
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface GeneratedObject {
  readonly key: string;
  readonly body: Uint8Array;
  /** Offsets that must score and offsets that must fail, each exactly once. */
  readonly goodOffsets: readonly number[];
  readonly badOffsets: readonly number[];
}

const encoder = new TextEncoder();

/** A JSONL object: records, broken lines and blank lines (which are neither). */
export const jsonlObject: fc.Arbitrary<GeneratedObject> = fc
  .array(fc.oneof({ weight: 4, arbitrary: jsonRecord }, brokenLine, fc.constant(undefined)), {
    minLength: 1,
    maxLength: 12,
  })
  .map((lines) => ({
    key: 'in/records.jsonl',
    body: encoder.encode(lines.map((line) => line?.text ?? '').join('\n')),
    goodOffsets: offsetsWhere(lines, (line) => line?.good === true),
    badOffsets: offsetsWhere(lines, (line) => line?.good === false),
  }))
  .filter((object) => object.goodOffsets.length + object.badOffsets.length > 0);

/** A JSON list of records (its first one an array, so it is read as a list), or broken JSON. */
export const jsonObject: fc.Arbitrary<GeneratedObject> = fc.oneof(
  fc
    .tuple(
      fc.tuple(finite, finite, finite).map((v) => ({ text: JSON.stringify(v), good: true })),
      fc.array(jsonRecord, { maxLength: 10 }),
    )
    .map(([first, rest]) => {
      const records = [first, ...rest];
      return {
        key: 'in/records.json',
        body: encoder.encode(`[${records.map((r) => r.text).join(',')}]`),
        goodOffsets: offsetsWhere(records, (r) => r.good),
        badOffsets: offsetsWhere(records, (r) => !r.good),
      };
    }),
  brokenLine.map((line) => ({
    key: 'in/records.json',
    body: encoder.encode(line.text),
    goodOffsets: [],
    badOffsets: [0],
  })),
);

const goodCell = finite.map((v) => String(v));
const badCell = fc.oneof(
  fc.constantFrom('0x10', '0b1', '0o7', '-0x1F', '1_000', 'Infinity', 'NaN', '1e999', '-1e39', ''),
  fc.constant(HUGE),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
    .filter((s) => !/[\r\n,"]/.test(s) && s.trim().length > 0 && !/^[\d.eE+-]+$/.test(s.trim())),
);

/** A CSV object with a header naming the features; rows of good and bad cells, short rows. */
export const csvObject: fc.Arbitrary<GeneratedObject> = fc
  .array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .tuple(goodCell, goodCell, goodCell)
          .map((cells) => ({ text: cells.join(','), good: true })),
      },
      fc.tuple(fc.oneof(goodCell, badCell), badCell, fc.oneof(goodCell, badCell)).chain((cells) =>
        fc.shuffledSubarray(cells, { minLength: 3, maxLength: 3 }).map((shuffled) => ({
          text: shuffled.join(','),
          good: false,
        })),
      ),
      fc
        .array(goodCell, { minLength: 1, maxLength: 5 })
        .filter((c) => c.length !== 3)
        .map((cells) => ({
          text: cells.join(','),
          good: false,
        })),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows) => ({
    key: 'in/records.csv',
    body: encoder.encode(['c,a,b', ...rows.map((row) => row.text)].join('\n')),
    goodOffsets: offsetsWhere(rows, (row) => row.good).map((i) => i + 1),
    badOffsets: offsetsWhere(rows, (row) => !row.good).map((i) => i + 1),
  }));

function offsetsWhere<T>(items: readonly T[], test: (item: T) => boolean): number[] {
  return items.flatMap((item, index) => (test(item) ? [index] : []));
}

export interface GeneratedImage {
  readonly key: string;
  readonly bytes: Uint8Array;
  /** False when a mutation may have broken it: then it may fail, but only as one record. */
  readonly intact: boolean;
}

const BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

const pngHeader = fc
  .record({
    width: fc.integer({ min: 1, max: 48 }),
    height: fc.integer({ min: 1, max: 48 }),
    colorType: fc.constantFrom(0, 2, 3, 4, 6),
    interlace: fc.constantFrom(0, 1),
  })
  .chain((h) =>
    fc.constantFrom(...BIT_DEPTHS[h.colorType]).map((bitDepth) => ({ ...h, bitDepth })),
  );

const validPng = pngHeader.chain((header) => {
  const count = header.width * header.height * PNG_CHANNELS[header.colorType];
  const below = header.colorType === 3 ? 2 ** Math.min(header.bitDepth, 4) : 2 ** header.bitDepth;
  return fc.uint8Array({ minLength: count, maxLength: count }).map((random) => {
    const samples = Array.from(random, (v, i) => (v * 257 + i) % below);
    const palette =
      header.colorType === 3 ? [pngChunk('PLTE', new Uint8Array(3 * 16).fill(7))] : [];
    return encodePngFile(header, samples, palette);
  });
});

/** Data inflating far past what the header allows: the bound must stop it, not pngjs. */
const BOMB_DATA = deflateSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });

function pngBomb(h: { colorType: number; bitDepth: number; interlace: number }): GeneratedImage {
  const bytes = Buffer.concat([
    PNG_SIGNATURE,
    ihdr({ width: 1000, height: 1000, ...h }),
    pngChunk('IDAT', BOMB_DATA),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
  return { key: 'in/bomb.png', bytes: new Uint8Array(bytes), intact: false };
}

/** 1000x1000 headers (gray or RGBA, 8 or 16 bits, interlaced or not) over 256 MiB of data. */
export const PNG_BOMBS: readonly GeneratedImage[] = [0, 6].flatMap((colorType) =>
  [8, 16].flatMap((bitDepth) =>
    [0, 1].map((interlace) => pngBomb({ colorType, bitDepth, interlace })),
  ),
);

/**
 * A valid 1415x1415 gray PNG (2 megapixels of noise) whose image data is split into one-byte
 * IDAT chunks: about 2 million chunks, 26 MB of file.
 */
export function tinyChunkPng(): GeneratedImage {
  const side = 1415;
  let seed = 7;
  const samples = Array.from({ length: side * side }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed >> 23;
  });
  const header = { width: side, height: side, bitDepth: 8, colorType: 0, interlace: 0 };
  return {
    key: 'in/tiny-chunks.png',
    bytes: new Uint8Array(pngOfTinyChunks(header, samples)),
    intact: true,
  };
}

const validJpeg = fc
  .record({ width: fc.integer({ min: 1, max: 48 }), height: fc.integer({ min: 1, max: 48 }) })
  .chain(({ width, height }) =>
    fc
      .uint8Array({ minLength: width * height * 4, maxLength: width * height * 4 })
      .chain((data) =>
        fc
          .integer({ min: 10, max: 100 })
          .map((quality) =>
            Buffer.from(jpeg.encode({ data: Buffer.from(data), width, height }, quality).data),
          ),
      ),
  );

/** Corrupts a file: truncates it, overwrites bytes, or splices in a copy of a part of it. */
function mutated(file: Buffer): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.nat({ max: file.length - 1 }).map((n) => file.subarray(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: file.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((edits) => {
        const copy = Buffer.from(file);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      }),
    fc
      .tuple(fc.nat({ max: file.length - 1 }), fc.nat({ max: file.length - 1 }))
      .map(([from, to]) =>
        Buffer.concat([file.subarray(0, to), file.subarray(from), file.subarray(to)]),
      ),
  );
}

const withMutations = (valid: fc.Arbitrary<Buffer>, key: string): fc.Arbitrary<GeneratedImage> =>
  valid.chain((file) =>
    fc.oneof(
      fc.constant({ key, bytes: new Uint8Array(file), intact: true }),
      mutated(file).map((bytes) => ({ key, bytes: new Uint8Array(bytes), intact: false })),
    ),
  );

export const pngImage: fc.Arbitrary<GeneratedImage> = fc.oneof(
  { weight: 6, arbitrary: withMutations(validPng, 'in/image.png') },
  fc.constantFrom(...PNG_BOMBS),
);

export const jpegImage: fc.Arbitrary<GeneratedImage> = withMutations(validJpeg, 'in/image.jpg');
