import type { BatchStatus } from '../../lib/contracts/batch-summary';
import type { BatchStore } from './batch-store';
import { buildBatchSummary } from './build-summary';
import type { CompletionNotifier } from './completion-notifier';
import { parseJobStateChange } from './job-state-change';
import { manifestLocation } from './manifest-location';

export interface FinishResult {
  readonly batchId: string;
  readonly status: BatchStatus;
  readonly eventId: string;
  /** False when batch.json already existed (a repeated event): the stored one was sent. */
  readonly created: boolean;
  readonly notified: boolean;
}

export interface FinisherPorts {
  readonly resultsBucket: string;
  readonly store: BatchStore;
  readonly notifier: CompletionNotifier;
}

/**
 * One job end to one batch summary and one completion event. Each step is idempotent, so a
 * failure anywhere is retried from the start: the summary is created once and read back
 * afterwards, and the event it carries is the same on every delivery.
 */
export async function finishBatch(event: unknown, ports: FinisherPorts): Promise<FinishResult> {
  const job = parseJobStateChange(event);
  const { batchId } = manifestLocation(job.manifestUrl, ports.resultsBucket);
  const manifest = await ports.store.manifest(batchId);
  const shardSummaries = await ports.store.shardSummaries(manifest);
  const built = buildBatchSummary({
    job,
    manifest,
    resultsBucket: ports.resultsBucket,
    shardSummaries,
  });
  const { summary, created } = await ports.store.createSummaryOnce(built);
  const { eventId } = await ports.notifier.putEvent(summary, job.jobArn ? [job.jobArn] : []);
  const notified = await ports.notifier.notifyPeople(summary);
  return { batchId, status: summary.status, eventId, created, notified };
}
