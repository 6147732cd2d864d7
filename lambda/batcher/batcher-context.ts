import type { BufferStore } from './buffer-store';
import type { BatcherConfig } from './config';
import type { JobSubmitter } from './job-submitter';
import type { SinkLogger } from '../shared/sink-logger';
import type { BatcherMetrics } from './batcher-metrics';
import type { ManifestStore } from './manifest-store';

/** Everything one invocation works with; tests build it around emulator clients. */
export interface BatcherContext {
  readonly config: BatcherConfig;
  readonly store: BufferStore;
  readonly manifests: ManifestStore;
  readonly jobs: JobSubmitter;
  readonly log: SinkLogger;
  /** Published once, at the end of the invocation (routeEvent, backfillPrefix). */
  readonly metrics: BatcherMetrics;
  readonly now: () => number;
  /** Names this invocation as the holder of a submit lease. */
  readonly invocationId: string;
  /**
   * Until when a submit lease taken now must hold: past the end of this invocation, so that
   * nobody takes a batch over from an invocation that might still submit it.
   */
  readonly leaseUntil: () => number;
}
