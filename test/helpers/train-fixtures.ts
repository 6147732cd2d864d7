import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { listKeys } from '../../scripts/shared/s3-reads';
import { trainingConfigKey } from '../../container/src/train/run-training';

/** Every key in a bucket under `prefix`, for asserting what a run did or did not write. */
export function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return listKeys(s3, bucket, prefix);
}

/** Writes a model's training-config.json, as an operator would. */
export async function putTrainingConfig(
  s3: S3Client,
  bucket: string,
  modelName: string,
  config: object,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: trainingConfigKey(modelName),
      Body: JSON.stringify(config),
    }),
  );
}

export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** A log sink that keeps the lines for assertions and failure messages. */
export function captureLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
