import type { NativeVariant } from '../../../container/native/native-location';
import { decodePool } from '../../../container/src/infer/input/decode-pool';
import type { ImageSpec } from '../../../container/src/infer/input/preprocess-image';

export interface DecodeRateOptions {
  /** Decode threads, as the worker's --decode-threads. */
  readonly threads: number;
  /** TensorFlow's decoders through this binding; absent, the JavaScript ones (wasm). */
  readonly native?: NativeVariant;
  /** Timed passes over all the images, after one untimed pass; the median is reported. */
  readonly rounds: number;
}

export interface DecodeRate {
  readonly images: number;
  readonly threads: number;
  /** Wall time per image of the median pass, all images in flight at once. */
  readonly msPerImage: number;
  /** msPerImage x threads: what one image costs one core (the goal is counted in this). */
  readonly msPerImagePerCore: number;
}

/**
 * The worker's decode stage on its own: each image, as the worker gets it after its GET, decoded,
 * resized and normalised to `spec` on a decode pool of `threads` threads (the same pool, threads
 * and messages the worker uses), all in flight at once, so the pool is never idle. A failed
 * image is an error: the measurement is of images that decode.
 */
export async function measureDecodeRate(
  images: readonly { readonly key: string; readonly bytes: Uint8Array }[],
  spec: ImageSpec,
  options: DecodeRateOptions,
): Promise<DecodeRate> {
  const limits = { maxPixels: 40_000_000, ...(options.native ? { native: options.native } : {}) };
  const pool = decodePool(options.threads, {
    timeoutMs: 60_000,
    ...(options.native ? { native: options.native } : {}),
  });
  const pass = async () => {
    const began = performance.now();
    const decoded = await Promise.all(
      images.map((image) => pool.decode({ ...image, spec, limits })),
    );
    const failed = decoded.flatMap((d) => d.records.failures);
    if (failed.length > 0) throw new Error(`decode failed: ${failed[0].reason}`);
    return performance.now() - began;
  };
  try {
    await pass();
    const times: number[] = [];
    for (let round = 0; round < options.rounds; round++) times.push(await pass());
    times.sort((a, b) => a - b);
    const msPerImage = times[Math.floor(times.length / 2)] / images.length;
    return {
      images: images.length,
      threads: options.threads,
      msPerImage,
      msPerImagePerCore: msPerImage * options.threads,
    };
  } finally {
    await pool.close();
  }
}
