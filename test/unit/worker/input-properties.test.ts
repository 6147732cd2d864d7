import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { MAX_REASON_BYTES } from '../../../lib/contracts/records';
import { loadNative } from '../../../container/src/backend/load-native';
import type { DecodeLimits } from '../../../container/src/infer/input/decode-image';
import { jpegFrame } from '../../../container/src/infer/input/jpeg-frame';
import { objectRecords } from '../../../container/src/infer/input/object-records';
import { errorRecord } from '../../../container/src/infer/output/record-builders';
import {
  csvObject,
  FEATURES,
  GeneratedImage,
  GeneratedObject,
  jpegImage,
  jsonlObject,
  jsonObject,
  PNG_BOMBS,
  pngImage,
  tinyChunkPng,
} from '../../helpers/hostile-inputs';
import { DIGITS_INPUT } from '../../helpers/worker-model-fixture';

/**
 * Properties of the per-object boundary that decode threads run (objectRecords), on generated
 * valid, malformed, truncated, huge, deeply nested and adversarial inputs of every format.
 * Seeded, so a failure reproduces; run counts kept small so the suite stays fast.
 */

jest.setTimeout(120_000);

const SEED = 20261202;
const FEATURES_SPEC = { kind: 'features' as const, size: 3, names: [...FEATURES] };
const LIMITS = { maxPixels: 4_000_000 };
const context = { batchId: 'b', shard: 0, model: { name: 'm', version: '1' } };

/** What each reason starts with: the problem, and where it is. */
const RECORDS_REASON =
  /^(line \d+: invalid JSON|row \d+: expected \d+ values|row \d+, column .+?: .+ is |feature ('.+'|\d+) is |expected \d+ features, got \d+|missing features: |record is |invalid JSON: |records file is not valid UTF-8|object is empty)/s;
const IMAGE_REASON =
  /^(PNG corrupt: |JPEG corrupt: |PNG truncated: |(PNG|JPEG) header says |image is \d+x\d+ |object is empty|named \.\w+ but the content has no (PNG|JPEG) signature)/;

/** The reason as written to the error stream, checked against the bound and the pattern. */
function expectReasonNamesProblem(offset: number, code: string, reason: string, pattern: RegExp) {
  const item = { bucket: 'in', key: 'k', size: 1, etag: 'e' };
  const written = errorRecord(context, { item, offset }, code as never, reason).reason;
  expect(Buffer.byteLength(written, 'utf8')).toBeLessThanOrEqual(MAX_REASON_BYTES);
  expect(written).toMatch(pattern);
}

describe.each([
  ['JSONL', jsonlObject],
  ['JSON', jsonObject],
  ['CSV', csvObject],
] as const)('%s records', (_, objects: fc.Arbitrary<GeneratedObject>) => {
  it('score every good record and give each bad one exactly one error naming the problem', () => {
    fc.assert(
      fc.property(objects, (object) => {
        // given a generated object whose good and bad records are known
        // when it is read at the per-object boundary (this throws on any escaping exception)
        const records = objectRecords(object.key, object.body, FEATURES_SPEC, LIMITS);

        // then good records are samples, bad ones failures, each offset exactly once
        expect(records.samples.map((sample) => sample.offset)).toEqual(object.goodOffsets);
        expect(records.failures.map((failure) => failure.offset)).toEqual(object.badOffsets);
        for (const { offset, code, reason } of records.failures) {
          expectReasonNamesProblem(offset, code, reason, RECORDS_REASON);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

const nativeLoads = loadNative(['cpu']).loaded;
/** The decoders each image property runs on: JavaScript (wasm), and TensorFlow's when it loads. */
const DECODERS: readonly (readonly [string, DecodeLimits])[] = [
  ['the JavaScript decoders (wasm)', LIMITS],
  ...(nativeLoads
    ? [["TensorFlow's decoders (tfjs-node)", { ...LIMITS, native: 'cpu' as const }] as const]
    : []),
];

describe.each(
  DECODERS.flatMap(([decoder, limits]) => [
    ['PNG', pngImage, decoder, limits] as const,
    ['JPEG', jpegImage, decoder, limits] as const,
  ]),
)('%s images with %s', (_, images: fc.Arbitrary<GeneratedImage>, _decoder, limits) => {
  it('decode when intact, and otherwise give exactly one sample or one error naming the problem', () => {
    fc.assert(
      fc.property(images, (image) => {
        // given a generated image, intact or corrupted
        // when it is read at the per-object boundary
        const records = objectRecords(image.key, image.bytes, DIGITS_INPUT, limits);

        // then it is one record: a sample (always, when intact) or one failure
        expect(records.samples.length + records.failures.length).toBe(1);
        if (image.intact) expect(records.failures).toEqual([]);
        for (const { offset, code, reason } of records.failures) {
          expectReasonNamesProblem(offset, code, reason, IMAGE_REASON);
        }
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});

/** The bound docs/container.md (Memory) states for one decode, from the header alone. */
function statedBoundBytes(image: GeneratedImage): number {
  const { bytes } = image;
  let pixels = 0;
  if (image.key.endsWith('.png') && bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    pixels = view.getUint32(16) * view.getUint32(20);
  } else if (image.key.endsWith('.jpg')) {
    try {
      const { width, height } = jpegFrame(bytes);
      pixels = Math.ceil(width / 32) * 32 * Math.ceil(height / 32) * 32;
    } catch {
      pixels = 0;
    }
  }
  // Images above the pixel limit are refused before any decoding.
  if (pixels > LIMITS.maxPixels) pixels = 0;
  return 2 * bytes.length + 64 * pixels + 16 * 1024 * 1024;
}

describe.each(DECODERS)('image decode memory with %s', (_, limits) => {
  it('stays under the bound docs/container.md states, bombs and tiny-chunk PNGs included', () => {
    // given generated PNGs (PNG bombs among them, and one of 2 million one-byte IDAT chunks)
    // and JPEGs, each in a file
    const images = [
      ...PNG_BOMBS,
      tinyChunkPng(),
      ...fc.sample(pngImage, { seed: SEED, numRuns: 12 }),
      ...fc.sample(jpegImage, { seed: SEED, numRuns: 6 }),
    ];
    const directory = mkdtempSync(join(tmpdir(), 'gbi-decode-memory-'));
    try {
      const requests = images.map((image, i) => {
        const path = join(directory, `${i}-${image.key.split('/').pop()}`);
        writeFileSync(path, image.bytes);
        return { path, key: image.key, spec: DIGITS_INPUT, limits };
      });

      // when a fresh process decodes them one by one, measuring each decode's peak
      const output = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join(__dirname, '../../helpers/decode-peak-memory.ts')],
        {
          input: JSON.stringify(requests),
          maxBuffer: 1024 * 1024,
          stdio: ['pipe', 'pipe', 'ignore'],
        },
      );
      const growth = JSON.parse(output.toString()) as (number | null)[];

      // then every decode that raised the peak stayed within its stated bound (one that did
      // not raise it stayed under an earlier, checked peak); the bombs come first, so an
      // unbounded inflate would raise it, and the tiny-chunk PNG next
      expect(growth).toHaveLength(images.length);
      const over = images
        .map((image, i) => ({ key: image.key, growth: growth[i], bound: statedBoundBytes(image) }))
        .filter((entry) => entry.growth !== null && entry.growth > entry.bound);
      expect(over).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
