import type { S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import type { BatchManifest } from '../../lib/contracts/manifest';
import { formatS3Url } from '../../lib/contracts/s3-location';
import { listBatchIds, readManifest } from '../cli/batch-results';
import { isTerminal, JobRecord } from '../local/executor/executor-state';
import type { LocalBatchExecutor } from '../local/executor/local-batch-executor';

export interface ClosedBatch {
  readonly manifest: BatchManifest;
  readonly job: JobRecord;
}

export interface AwaitBatchesOptions {
  readonly s3: S3Client;
  readonly resultsBucket: string;
  readonly executor: LocalBatchExecutor;
  /** Every key uploaded; done once each is in a manifest whose job ended. */
  readonly keys: readonly string[];
  readonly deadline: number;
  readonly onBatch?: (manifest: BatchManifest) => void;
  readonly pollMs?: number;
}

/** The infer job that runs a manifest: its command names the manifest's URL. */
function jobFor(executor: LocalBatchExecutor, manifestUrl: string): JobRecord | undefined {
  return executor.jobs().find((job) => job.command.includes(manifestUrl));
}

/**
 * Waits until the batcher has put every uploaded key into a batch and the executor has run
 * each batch's array job to its end. Throws at the deadline naming what is still missing.
 */
export async function awaitBatches(options: AwaitBatchesOptions): Promise<ClosedBatch[]> {
  const manifests = new Map<string, BatchManifest>();
  for (;;) {
    for (const batchId of await listBatchIds(options.s3, options.resultsBucket)) {
      if (manifests.has(batchId)) continue;
      const manifest = await readManifest(options.s3, options.resultsBucket, batchId);
      manifests.set(batchId, manifest);
      options.onBatch?.(manifest);
    }
    const batched = new Set(
      [...manifests.values()].flatMap((manifest) => manifest.items.map((item) => item.key)),
    );
    const waiting = options.keys.filter((key) => !batched.has(key));
    const closed = [...manifests.values()].map((manifest) => ({
      manifest,
      job: jobFor(
        options.executor,
        formatS3Url({ bucket: options.resultsBucket, key: resultKeys.manifest(manifest.batchId) }),
      ),
    }));
    const running = closed.filter(({ job }) => !job || !isTerminal(job.status));
    if (waiting.length === 0 && running.length === 0) {
      return closed.map(({ manifest, job }) => ({ manifest, job: job! }));
    }
    if (Date.now() > options.deadline) {
      throw new Error(
        `timed out: ${waiting.length} uploads not in any batch yet${
          waiting.length > 0 ? ` (first: ${waiting[0]})` : ''
        }; ${running.length} batches without a finished job${
          running.length > 0
            ? ` (${running.map(({ manifest }) => manifest.batchId).join(', ')})`
            : ''
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}
