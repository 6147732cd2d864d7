import { readFileSync } from 'node:fs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Real MNIST digit pixels from the `mnist` package (0..1 floats, 28x28 row-major), as 0..255
 * grayscale bytes.
 */
export function mnistDigit(digit: number, index: number): Uint8Array {
  const path = require.resolve(`mnist/src/digits/${digit}.json`);
  const raw = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
  const start = index * 784;
  return Uint8Array.from(raw.slice(start, start + 784), (v) => Math.round(v * 255));
}

function rgba(gray: Uint8Array): Buffer {
  const data = Buffer.alloc(gray.length * 4);
  gray.forEach((value, i) => {
    data[i * 4] = value;
    data[i * 4 + 1] = value;
    data[i * 4 + 2] = value;
    data[i * 4 + 3] = 255;
  });
  return data;
}

export function pngOf(gray: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  rgba(gray).copy(png.data);
  return PNG.sync.write(png);
}

export function jpegOf(gray: Uint8Array, width: number, height: number): Buffer {
  return Buffer.from(jpeg.encode({ data: rgba(gray), width, height }, 95).data);
}

/** A valid PNG header and the first half of the file: decoding fails mid-stream. */
export function truncatedPng(): Buffer {
  const whole = pngOf(mnistDigit(3, 0), 28, 28);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** A real PNG larger than the pixel limit a test sets. */
export function largePng(width: number, height: number): Buffer {
  return pngOf(new Uint8Array(width * height), width, height);
}
