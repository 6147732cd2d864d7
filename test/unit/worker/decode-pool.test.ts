import { decodePool } from '../../../container/src/infer/input/decode-pool';
import { decodeNow } from '../../../container/src/infer/input/decoder';
import { mnistDigit, pngOf, truncatedPng } from '../../helpers/worker-image-fixtures';
import { DIGITS_INPUT } from '../../helpers/worker-model-fixture';

jest.setTimeout(60_000);

const limits = { maxPixels: 1_000_000 };

describe('decodePool', () => {
  it('decodes on threads exactly as on the main thread, failures included', async () => {
    // given a pool of two threads and a mix of good and corrupt PNGs
    const pool = decodePool(2);
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

  it('rejects the request, naming the thread, when decoding throws unexpectedly', async () => {
    // given a pool and a request whose input spec is not an object (a programming error)
    const pool = decodePool(1);
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
