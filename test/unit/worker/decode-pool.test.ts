import { loadNative } from '../../../container/src/backend/load-native';
import { decodePool } from '../../../container/src/infer/input/decode-pool';
import { decodeNow } from '../../../container/src/infer/input/decoder';
import { pngBomb } from '../../helpers/png-encoder';
import { jpegOf, mnistDigit, pngOf, truncatedPng } from '../../helpers/worker-image-fixtures';
import { DIGITS_INPUT } from '../../helpers/worker-model-fixture';

jest.setTimeout(60_000);

const limits = { maxPixels: 1_000_000 };

describe('decodePool', () => {
  it('decodes on threads exactly as on the main thread, failures included', async () => {
    // given a pool of two threads and a mix of good and corrupt PNGs
    const pool = decodePool(2, { timeoutMs: 30_000 });
    const objects = [
      ...Array.from({ length: 6 }, (_, i) => ({
        key: `d${i}.png`,
        bytes: pngOf(mnistDigit(i, 0), 28, 28),
      })),
      { key: 'bad.png', bytes: truncatedPng() },
    ];
    try {
      // when all are decoded at once on the threads
      const decoded = await Promise.all(
        objects.map((o) => pool.decode({ ...o, spec: DIGITS_INPUT, limits })),
      );

      // then the records equal those decoded on this thread
      const expected = objects.map((o) => decodeNow({ ...o, spec: DIGITS_INPUT, limits }).records);
      expect(decoded.map((d) => d.records)).toEqual(expected);
      expect(decoded[6].records.failures[0].code).toBe('DECODE_FAILED');
    } finally {
      await pool.close();
    }
  });

  it('turns a JSONL record nested 100,000 deep into one error record on a decode thread', async () => {
    // given a pool and a JSONL object whose first record holds a feature nested 100,000 deep
    const pool = decodePool(1, { timeoutMs: 30_000 });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `[${deep}, 1]\n[1, 2]\n`;
    try {
      // when it is decoded on the thread
      const { records } = await pool.decode({
        key: 'deep.jsonl',
        bytes: new TextEncoder().encode(text),
        spec: { kind: 'features', size: 2 },
        limits,
      });

      // then that record is one failure and the next one is scored
      expect(records.failures).toEqual([
        {
          offset: 0,
          code: 'BAD_SHAPE',
          reason: 'feature 0 is an array of 1 element, not a number',
        },
      ]);
      expect(records.samples.map((sample) => sample.offset)).toEqual([1]);
    } finally {
      await pool.close();
    }
  });

  it('fails each object whose decode outlasts the deadline as one DECODE_FAILED record, on a fresh thread each', async () => {
    // given a one-thread pool with a 1 ms deadline, and two valid 4000x4000 PNGs (16 MP each),
    // the second queued behind the first
    const pool = decodePool(1, { timeoutMs: 1 });
    const big = pngBomb(
      { width: 4000, height: 4000, bitDepth: 8, colorType: 0, interlace: 0 },
      4000 * 4001,
    );
    const spec = {
      kind: 'image',
      width: 28,
      height: 28,
      channels: 1,
      scale: 1,
      offset: 0,
    } as const;
    try {
      // when both are decoded
      const decoded = await Promise.all(
        ['a.png', 'b.png'].map((key) =>
          pool.decode({ key, bytes: big, spec, limits: { maxPixels: 20_000_000 } }),
        ),
      );

      // then each is stopped at the deadline and becomes one failure record; the second was
      // handed to the thread started after the first was stopped
      expect(decoded.map((d) => d.records)).toEqual(
        ['a', 'b'].map(() => ({
          samples: [],
          failures: [
            {
              offset: 0,
              code: 'DECODE_FAILED',
              reason: 'decoding took longer than 0.001 s and was stopped',
            },
          ],
          skipped: 0,
        })),
      );
    } finally {
      await pool.close();
    }
  });

  it('rejects the request, naming the thread, when decoding throws unexpectedly', async () => {
    // given a pool and a request whose input spec is not an object (a programming error)
    const pool = decodePool(1, { timeoutMs: 30_000 });
    try {
      // when decoded
      const decode = pool.decode({
        key: 'x.png',
        bytes: pngOf(mnistDigit(1, 0), 28, 28),
        spec: null as never,
        limits,
      });

      // then the promise rejects with the thread's error
      await expect(decode).rejects.toThrow(/^decode thread 0: TypeError/);
    } finally {
      await pool.close();
    }
  });
});

const describeNative = loadNative(['cpu']).loaded ? describe : describe.skip;

describeNative('decodePool with TensorFlow decoders (tfjs-node)', () => {
  const native = { ...limits, native: 'cpu' as const };

  it('loads the binding on each thread and decodes exactly as on the main thread', async () => {
    // given a pool of two threads on tfjs-node and PNG, JPEG and corrupt objects
    const pool = decodePool(2, { timeoutMs: 30_000, native: 'cpu' });
    const objects = [
      ...Array.from({ length: 4 }, (_, i) => ({
        key: `d${i}.png`,
        bytes: pngOf(mnistDigit(i, 0), 28, 28),
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        key: `d${i}.jpg`,
        bytes: new Uint8Array(jpegOf(mnistDigit(i, 1), 28, 28)),
      })),
      { key: 'bad.png', bytes: truncatedPng() },
    ];
    try {
      // when all are decoded at once on the threads
      const decoded = await Promise.all(
        objects.map((o) => pool.decode({ ...o, spec: DIGITS_INPUT, limits: native })),
      );

      // then the records equal those TensorFlow's decoders give on this thread
      const expected = objects.map(
        (o) => decodeNow({ ...o, spec: DIGITS_INPUT, limits: native }).records,
      );
      expect(decoded.map((d) => d.records)).toEqual(expected);
      expect(decoded[8].records.failures[0].reason).toMatch(/^PNG corrupt: /);
    } finally {
      await pool.close();
    }
  });

  it('fails a decode that outlasts the deadline as one DECODE_FAILED record', async () => {
    // given a one-thread pool on tfjs-node with a 1 ms deadline, and a 4000x4000 PNG
    const pool = decodePool(1, { timeoutMs: 1, native: 'cpu' });
    const big = pngBomb(
      { width: 4000, height: 4000, bitDepth: 8, colorType: 0, interlace: 0 },
      4000 * 4001,
    );
    try {
      // when it is decoded
      const { records } = await pool.decode({
        key: 'a.png',
        bytes: big,
        spec: DIGITS_INPUT,
        limits: { maxPixels: 20_000_000, native: 'cpu' },
      });

      // then it is stopped at the deadline and becomes one failure record
      expect(records.failures).toEqual([
        {
          offset: 0,
          code: 'DECODE_FAILED',
          reason: 'decoding took longer than 0.001 s and was stopped',
        },
      ]);
    } finally {
      await pool.close();
    }
  });
});
