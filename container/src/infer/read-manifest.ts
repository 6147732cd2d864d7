import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchManifest, validateManifest } from '../../../lib/contracts/manifest';
import { parseS3Url } from '../../../lib/contracts/s3-location';
import { UsageError } from './errors';
import { AccessCall, EXAMPLE } from '../../../lib/contracts/access';
import { resultKeys } from '../../../lib/contracts/keys';

export async function readManifest(s3: S3Client, url: string): Promise<BatchManifest> {
  const location = parseS3Url(url);
  let text: string;
  try {
    const response = await s3.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
    );
    text = await response.Body!.transformToString('utf-8');
  } catch (error) {
    const { name, message } = error as Error;
    throw new UsageError(`--manifest ${url}: unreadable (${name}: ${message})`);
  }
  try {
    return validateManifest(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--manifest ${url}: ${(error as Error).message}`);
  }
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [{ s3: 'results', key: resultKeys.manifest(EXAMPLE.batchId) }],
    why: "reads the batch's manifest",
  },
];
