import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { getObjectIfExists } from '../../../lib/contracts/s3-key-presence';
import { joinKey, parseS3Url } from '../../../lib/contracts/s3-location';

/** A model directory to import: a local folder or an s3:// prefix. */
export interface ModelSource {
  /** The directory, resolved: an absolute path or an s3:// URL, ending in '/'. */
  readonly location: string;
  /** The bytes of one file by its path in the directory, or undefined when there is none. */
  read(path: string): Promise<Uint8Array | undefined>;
}

function localSource(folder: string): ModelSource {
  const root = resolve(folder);
  return {
    location: root.endsWith(sep) ? root : `${root}${sep}`,
    read: async (path) => {
      try {
        return await readFile(join(root, path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

function s3Source(url: string, s3: S3Client): ModelSource {
  const { bucket, key } = parseS3Url(url.endsWith('/') ? url : `${url}/`);
  return {
    location: `s3://${bucket}/${key}`,
    read: async (path) => {
      const response = await getObjectIfExists(s3, { Bucket: bucket, Key: joinKey(key, path) });
      return response?.Body!.transformToByteArray();
    },
  };
}

/** The model directory at `location`: an s3:// prefix, else a local folder. */
export function modelSource(location: string, s3: S3Client): ModelSource {
  return location.startsWith('s3://') ? s3Source(location, s3) : localSource(location);
}
