import { randomBytes } from 'node:crypto';

/**
 * A new batch id: UTC time first so ids (and the manifests/ keys built from them) sort by
 * creation, then randomness so concurrent invocations never pick the same id. Only letters,
 * digits and hyphens, which job names and S3 keys accept unchanged.
 */
export function newBatchId(now: number, random: Buffer = randomBytes(5)): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${random.toString('hex')}`;
}
