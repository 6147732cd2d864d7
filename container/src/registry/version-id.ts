import { randomBytes } from 'node:crypto';

/**
 * Version ids sort by creation time (`v20261126T101500123Z-1a2b3c`), so a key listing is
 * already in version order; the random suffix keeps two runs in the same millisecond apart.
 */
export function newVersionId(now: Date, suffix = randomBytes(3).toString('hex')): string {
  return `v${now.toISOString().replace(/[-:.]/g, '')}-${suffix}`;
}

/** S3-key-safe version names: letters, digits, dot, dash, underscore. */
export function isValidVersionId(version: string): boolean {
  return /^[A-Za-z0-9._-]{1,128}$/.test(version) && version !== '.' && version !== '..';
}
