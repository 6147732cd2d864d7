import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { ModelImportError } from './errors';
import { joinKey, parseS3Url } from '../../../lib/contracts/s3-location';

/** A model directory to import: a local folder or an s3:// prefix. */
export interface ModelSource {
  /** The directory, resolved: an absolute path or an s3:// URL, ending in '/'. */
  readonly location: string;
  /** The bytes of one file by its path in the directory, or undefined when there is none. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Every file in the directory and below it, by path relative to it ('/'-separated). */
  list(): Promise<string[]>;
}

/** Files a model directory may hold: a SavedModel has a handful; more is not a model directory. */
export const MAX_MODEL_FILES = 10_000;

function checkedCount(paths: string[], where: string): string[] {
  if (paths.length > MAX_MODEL_FILES) {
    throw new ModelImportError(
      `${where}: more than ${MAX_MODEL_FILES} files; not a model directory`,
    );
  }
  return paths.sort();
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
    list: async () => {
      let entries;
      try {
        entries = await readdir(root, { recursive: true, withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const paths = entries
        .filter((entry) => entry.isFile())
        .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
      return checkedCount(paths, root);
    },
  };
}

function s3Source(url: string, s3: S3Client): ModelSource {
  const { bucket, key } = parseS3Url(url.endsWith('/') ? url : `${url}/`);
  return {
    location: `s3://${bucket}/${key}`,
    read: async (path) => {
      try {
        const response = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: joinKey(key, path) }),
        );
        return await response.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    list: async () => {
      const paths: string[] = [];
      let token: string | undefined;
      // Pages of up to 1,000 keys; bounded by MAX_MODEL_FILES.
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }),
        );
        paths.push(...(page.Contents ?? []).map((object) => object.Key!.slice(key.length)));
        checkedCount(paths, `s3://${bucket}/${key}`);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return checkedCount(
        paths.filter((path) => path !== '' && !path.endsWith('/')),
        `s3://${bucket}/${key}`,
      );
    },
  };
}

/** The model directory at `location`: an s3:// prefix, else a local folder. */
export function modelSource(location: string, s3: S3Client): ModelSource {
  return location.startsWith('s3://') ? s3Source(location, s3) : localSource(location);
}
