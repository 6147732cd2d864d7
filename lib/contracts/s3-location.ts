/** A bucket and key pair; the one way code in this project names an S3 object or prefix. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Parses `s3://bucket/key` into its parts; the key may be empty (a bucket root prefix). */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) {
    throw new Error(`not an s3:// URL: '${url}' (expected s3://bucket/key)`);
  }
  return { bucket: match[1], key: match[2] };
}

export function formatS3Url(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** Joins key segments with single slashes, so callers never produce `a//b` keys. */
export function joinKey(...parts: string[]): string {
  return parts
    .filter((part) => part.length > 0)
    .map((part, index) => (index === 0 ? part.replace(/\/+$/, '') : part.replace(/^\/+|\/+$/g, '')))
    .join('/');
}

/**
 * S3 listings and HeadObject quote ETags; event notifications do not. Object identities
 * (objectVersionId) use the unquoted form, so they match across both.
 */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}
