import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { classifyObject, DataObject } from './data-objects';
import type { DataIssues } from './data-issues';
import { AccessCall, EXAMPLE, listPrefix } from '../../../lib/contracts/access';
import { MODEL_PREFIXES } from '../../../lib/contracts/keys';

/**
 * Lists every object under the training prefix and classifies it. Only keys and sizes are
 * held (about 100 bytes an object), never object bodies.
 */
export async function listDataObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  issues: DataIssues,
): Promise<DataObject[]> {
  const objects: DataObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      // Zero-byte "folder" markers made by consoles are structure, not data.
      if (!item.Key || (item.Key.endsWith('/') && !item.Size)) continue;
      const classified = classifyObject(prefix, {
        key: item.Key,
        size: item.Size ?? 0,
        etag: item.ETag,
      });
      if ('object' in classified) objects.push(classified.object);
      else issues.add(classified.issue, classified.message);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['trainJob'],
    sdk: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resources: [{ s3: 'models' }],
    context: listPrefix(`${MODEL_PREFIXES.training}${EXAMPLE.modelName}/`),
    why: "lists the model's labelled training data",
  },
];
