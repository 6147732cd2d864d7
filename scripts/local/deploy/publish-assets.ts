import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FileAsset } from './synth-assembly';
import { zipDirectory } from './zip-directory';

/** Fills the placeholders the CDK writes into asset destinations. */
export function resolveDestination(
  text: string,
  env: { readonly account: string; readonly region: string; readonly partition?: string },
): string {
  return text
    .replaceAll('${AWS::AccountId}', env.account)
    .replaceAll('${AWS::Region}', env.region)
    .replaceAll('${AWS::Partition}', env.partition ?? 'aws');
}

/** Uploads the file assets (Lambda code, templates) as `cdk deploy` publishes them. */
export async function publishFileAssets(
  assets: readonly FileAsset[],
  env: { readonly account: string; readonly region: string },
  s3: S3Client,
): Promise<number> {
  for (const asset of assets) {
    await s3.send(
      new PutObjectCommand({
        Bucket: resolveDestination(asset.bucketName, env),
        Key: resolveDestination(asset.objectKey, env),
        Body: asset.packaging === 'zip' ? zipDirectory(asset.path) : readFileSync(asset.path),
      }),
    );
  }
  return assets.length;
}
