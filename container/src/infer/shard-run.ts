import type { S3Client } from '@aws-sdk/client-s3';
import type { BatchManifest } from '../../../lib/contracts/manifest';
import type { Scorer } from '../model/load-scorer';
import type { ResolvedModel } from '../model/resolve-model';
import type { InferOptions } from './infer-options';

/** The options of the infer command that one shard's run reads. */
export type ShardOptions = Pick<
  InferOptions,
  | 'shard'
  | 'resultsBucket'
  | 'batchSize'
  | 'concurrency'
  | 'prefetch'
  | 'prefetchBytes'
  | 'decodeThreads'
  | 'decodeTimeoutSeconds'
  | 'topK'
  | 'topKFromJob'
  | 'maxErrorFraction'
  | 'maxObjectBytes'
  | 'maxImagePixels'
  | 'maxMemberBytes'
  | 'maxArchiveMembers'
  | 'maxArchiveBytes'
  | 'archivePrefetch'
  | 'checkpointRecords'
  | 'progressSeconds'
>;

export interface ShardRun {
  readonly s3: S3Client;
  readonly manifest: BatchManifest;
  readonly model: ResolvedModel;
  readonly scorer: Scorer;
  readonly backend: string;
  readonly options: ShardOptions;
  readonly log: (line: string) => void;
  /** Aborted to stop early: the shard checkpoints what it has scored and throws. */
  readonly stop: AbortSignal;
}
