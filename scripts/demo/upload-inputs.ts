import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../../lambda/shared/map-limit';
import { joinKey } from '../../lib/contracts/s3-location';
import { digitCount, digitPng } from '../../test/helpers/train-digits';
import { corruptInputs } from './corrupt-inputs';

const UPLOAD_CONCURRENCY = 16;

export interface UploadedInputs {
  /** Held-out digit keys (`<prefix>digits/<label>/<index>.png`). */
  readonly digits: readonly string[];
  /** Corrupt file key -> the error code the worker must report. */
  readonly corrupt: Readonly<Record<string, string>>;
}

/**
 * Digits the model never saw (indexes from `firstIndex` on, past the training range), taken
 * round-robin over the labels, plus the corrupt files; uploaded as a user would, one PutObject
 * each, so every one raises a real S3 notification.
 */
export async function uploadDemoInputs(
  s3: S3Client,
  bucket: string,
  inputPrefix: string,
  images: number,
  firstIndex: number,
): Promise<UploadedInputs> {
  const picks = Array.from({ length: images }, (_, i) => ({
    digit: i % 10,
    index: firstIndex + Math.floor(i / 10),
  }));
  const tooFar = picks.find(({ digit, index }) => index >= digitCount(digit));
  if (tooFar) {
    throw new RangeError(
      `images: ${images} held-out digits need index ${tooFar.index} of digit ${tooFar.digit}, past the ${digitCount(tooFar.digit)} available`,
    );
  }
  const uploads: { key: string; body: Buffer }[] = picks.map(({ digit, index }) => ({
    key: joinKey(inputPrefix, 'digits', String(digit), `${index}.png`),
    body: digitPng(digit, index),
  }));
  const corrupt: Record<string, string> = {};
  // Manifests list keys in order and a shard fails past its error budget (10% by default),
  // so the broken files sit in different label folders, a few per shard, as strays would.
  corruptInputs(digitPng(0, 0)).forEach((input, i) => {
    const key = joinKey(inputPrefix, 'digits', String((i * 2) % 10), `broken-${input.name}`);
    corrupt[key] = input.expectedCode;
    uploads.push({ key, body: input.body });
  });
  await mapLimit(uploads, UPLOAD_CONCURRENCY, ({ key, body }) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
  );
  return { digits: uploads.slice(0, picks.length).map((u) => u.key), corrupt };
}
