import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { RegistryDataError } from './errors';

/** Reads a JSON object, or undefined when the key does not exist. */
export async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as S3ServiceException).name === 'NoSuchKey') {
      return undefined;
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RegistryDataError(`s3://${bucket}/${key}: not JSON (${(error as Error).message})`);
  }
}

/**
 * Writes JSON; with `ifAbsent` the write is a conditional create (If-None-Match: *), so an
 * existing object is never replaced and the call reports false instead.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export async function writeJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  ifAbsent = false,
): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value, null, 2),
        ContentType: 'application/json',
        ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
    return true;
  } catch (error) {
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    if (ifAbsent && (status === 412 || status === 409)) return false;
    throw error;
  }
}
