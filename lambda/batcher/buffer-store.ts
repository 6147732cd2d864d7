import type { BatchThresholds, BatchCounters } from './batch-policy';
import type { BufferItem } from './buffer-item';

/**
 * A batch's lifecycle: OPEN accepts items; CLOSED accepts none and waits for its manifest and
 * job; SUBMITTING is leased to one invocation while it submits; SUBMITTED records the job.
 */
export type BatchState = 'OPEN' | 'CLOSED' | 'SUBMITTING' | 'SUBMITTED';

export interface BatchHeader extends BatchCounters {
  readonly batchId: string;
  readonly state: BatchState;
  readonly createdAt: number;
  readonly closedAt?: number;
  readonly closeReason?: string;
  readonly leaseOwner?: string;
  readonly leaseUntil?: number;
  readonly jobId?: string;
}

/** Where the job of a batch went, recorded once it is submitted. */
export interface SubmittedJob {
  /** Absent for a batch whose items all moved to other batches: nothing to run. */
  readonly jobId?: string;
  readonly jobName?: string;
  readonly manifestUrl: string;
  readonly fileCount: number;
  readonly shardCount: number;
}

/** Which batch an object version was claimed for. */
export interface ItemClaim {
  /** The object version's identity: objectVersionId in lib/contracts/manifest.ts. */
  readonly object: string;
  readonly batchId: string;
  readonly claimedAt: number;
}

/**
 * The durable buffer. Every method is one conditional request, so the protocols built on it
 * (place-items.ts, finish-batch.ts) hold under concurrency and crashes at any point.
 */
export interface BufferStore {
  /** The batch that new items go to, as last published; undefined before the first one. */
  readCurrentBatchId(): Promise<string | undefined>;
  /** Publishes `batchId` as current if the current one is still `replacing`; false if not. */
  publishCurrentBatch(batchId: string, replacing: string | undefined): Promise<boolean>;
  /** Creates an empty OPEN batch; a no-op when it exists already. */
  createBatch(batchId: string, now: number): Promise<void>;
  getBatch(batchId: string): Promise<BatchHeader | undefined>;
  /** Every batch not yet SUBMITTED. */
  listUnsubmittedBatches(): Promise<BatchHeader[]>;
  /**
   * Claims an object version for `batchId`. Returns the batch it is assigned to: `batchId` when
   * this call claimed it, or the earlier claim's batch for a duplicate.
   */
  claimItem(
    item: BufferItem,
    batchId: string,
    now: number,
  ): Promise<{ batchId: string; claimed: boolean }>;
  /**
   * Every claim of any version of `bucket`/`key`, oldest first: what `gbi find` starts from.
   * Read from an index, so a claim made a moment ago may be missing.
   */
  listClaims(bucket: string, key: string): Promise<ItemClaim[]>;
  /** Moves a claim from `from` to `to` if it is still on `from`; returns where it is now. */
  reassignItem(item: BufferItem, from: string, to: string): Promise<string>;
  /**
   * Reserves room for `items` in an OPEN batch within the thresholds; returns the counters after
   * the reservation, or undefined when the batch is no longer OPEN or has no room.
   */
  reserve(
    batchId: string,
    items: readonly BufferItem[],
    thresholds: BatchThresholds,
    now: number,
  ): Promise<BatchCounters | undefined>;
  putMembers(batchId: string, items: readonly BufferItem[], now: number): Promise<void>;
  listMembers(batchId: string): Promise<BufferItem[]>;
  /** OPEN to CLOSED; false when the batch was not OPEN. */
  closeBatch(batchId: string, reason: string, now: number): Promise<boolean>;
  /**
   * CLOSED (or SUBMITTING with an expired lease) to SUBMITTING, leased to `owner` until
   * `leaseUntil`; false when another invocation holds it or it is already SUBMITTED.
   */
  acquireSubmitLease(
    batchId: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<boolean>;
  /** Lets the next trigger retry at once instead of waiting for the lease to expire. */
  releaseSubmitLease(batchId: string, owner: string): Promise<void>;
  /** Records the job against the batch and marks it SUBMITTED, if `owner` still holds the lease. */
  markSubmitted(batchId: string, owner: string, job: SubmittedJob, now: number): Promise<boolean>;
  /** The job recorded for a SUBMITTED batch. */
  getSubmittedJob(batchId: string): Promise<SubmittedJob | undefined>;
}
