import {
  COMPLETION_EVENT_SCHEMA_VERSION,
  COMPLETION_EVENT_SOURCE,
  completionDetailType,
  completionEventId,
  type BatchSummary,
  type CompletionDetailType,
  type CompletionEventDetail,
} from '../../lib/contracts/batch-summary';
import { resultKeys } from '../../lib/contracts/keys';

/**
 * PutEvents refuses an entry over 256 KiB, counting the UTF-8 bytes of Source, DetailType,
 * Detail and each resource, plus 14 for Time
 * (Amazon EventBridge User Guide, "Calculating PutEvents event entry size").
 */
export const MAX_ENTRY_BYTES = 256 * 1024;
const TIME_BYTES = 14;

export interface CompletionEntry {
  readonly source: typeof COMPLETION_EVENT_SOURCE;
  readonly detailType: CompletionDetailType;
  readonly detail: CompletionEventDetail;
  /** The serialized detail, as PutEvents sends it. */
  readonly detailJson: string;
  /** The batch's AWS Batch job ARN, when known. */
  readonly resources: readonly string[];
}

export function entryBytes(
  source: string,
  detailType: string,
  detailJson: string,
  resources: readonly string[] = [],
): number {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  return (
    TIME_BYTES +
    bytes(source) +
    bytes(detailType) +
    bytes(detailJson) +
    resources.reduce((total, resource) => total + bytes(resource), 0)
  );
}

/**
 * The completion event of a batch summary: the same facts and the dedupe id. The per-shard
 * lists go only while the entry fits; a batch of thousands of shards sends the counts and the
 * summary's key, and its consumers read batch.json for the rest.
 */
export function completionEntry(
  summary: BatchSummary,
  resources: readonly string[] = [],
  maxBytes: number = MAX_ENTRY_BYTES,
): CompletionEntry {
  // The event's detail has its own schema version; the summary's is not one of its facts.
  const { schemaVersion, shards, resultKeys: results, errorKeys, ...facts } = summary;
  void schemaVersion;
  const base: CompletionEventDetail = {
    schemaVersion: COMPLETION_EVENT_SCHEMA_VERSION,
    eventId: completionEventId(summary),
    summaryKey: resultKeys.batchSummary(summary.batchId),
    ...facts,
  };
  const detailType = completionDetailType(summary.status);
  const full: CompletionEventDetail = { ...base, shards, resultKeys: results, errorKeys };
  const fullJson = JSON.stringify(full);
  if (entryBytes(COMPLETION_EVENT_SOURCE, detailType, fullJson, resources) <= maxBytes) {
    return {
      source: COMPLETION_EVENT_SOURCE,
      detailType,
      detail: full,
      detailJson: fullJson,
      resources,
    };
  }
  return {
    source: COMPLETION_EVENT_SOURCE,
    detailType,
    detail: base,
    detailJson: JSON.stringify(base),
    resources,
  };
}

/** SNS subjects: ASCII, no line breaks, at most 100 characters. */
const MAX_SUBJECT = 100;

/** The short text a person gets by email: what ended, how, and where to look. */
export function completionMessage(summary: BatchSummary): { subject: string; text: string } {
  const c = summary.counts;
  const subject = `Batch ${summary.batchId} ${summary.status}: ${c.ok} scored, ${c.failed} failed`
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, MAX_SUBJECT);
  const errors = Object.entries(summary.errorsByCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const model = `${summary.model.name}${summary.model.version ? ` version ${summary.model.version}` : ''}`;
  const minutes = (summary.durationMs / 60_000).toFixed(1);
  const text = [
    `Batch ${summary.batchId} ended ${summary.status} (job ${summary.job.name}: ${summary.job.status}${summary.job.statusReason ? `, ${summary.job.statusReason}` : ''}).`,
    `${c.files} files in ${c.shards} shards: ${c.shardsSucceeded} finished, ${c.shardsFailed} failed.`,
    `Records: ${c.ok} scored, ${c.failed} failed, ${c.skipped} skipped${errors ? ` (${errors})` : ''}.`,
    `Model ${model}; ran ${minutes} min, ${summary.startedAt} to ${summary.endedAt}.`,
    `Summary: s3://${summary.resultsBucket}/${resultKeys.batchSummary(summary.batchId)}`,
  ].join('\n');
  return { subject, text };
}
