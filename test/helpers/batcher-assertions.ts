import type { JobDetail } from '@aws-sdk/client-batch';
import { inferJobName } from '../../lib/contracts/job-contract';
import { BatchManifest, objectVersionId } from '../../lib/contracts/manifest';
import type { BufferItem } from '../../lambda/batcher/buffer-item';
import { jobsNamed, readManifests } from './batcher-emulator-resources';
import type { BatcherTestbed } from './batcher-harness';

export interface SubmittedBatch {
  readonly manifest: BatchManifest;
  readonly jobs: readonly JobDetail[];
}

/** Every manifest in the results bucket with the jobs that carry its batch's name. */
export async function submittedBatches(bed: BatcherTestbed): Promise<SubmittedBatch[]> {
  const manifests = await readManifests(bed.s3, bed.config.resultsBucket);
  return Promise.all(
    manifests.map(async (manifest) => ({
      manifest,
      jobs: await jobsNamed(bed.batch, bed.config.jobQueue, inferJobName(manifest.batchId)),
    })),
  );
}

/** How many manifests list each object version, keyed by objectVersionId. */
export function manifestCountsByObject(batches: readonly SubmittedBatch[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { manifest } of batches) {
    for (const item of manifest.items) {
      counts.set(objectVersionId(item), (counts.get(objectVersionId(item)) ?? 0) + 1);
    }
  }
  return counts;
}

/** The same map the exactly-once property demands: every expected object exactly once. */
export function onceEach(items: readonly BufferItem[]): Map<string, number> {
  return new Map(items.map((item) => [objectVersionId(item), 1]));
}

/** Jobs per non-empty manifest: exactly-once submission means [1, 1, ...]. */
export function jobCounts(batches: readonly SubmittedBatch[]): number[] {
  return batches.filter((b) => b.manifest.items.length > 0).map((b) => b.jobs.length);
}
