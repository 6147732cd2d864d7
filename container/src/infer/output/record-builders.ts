import { ManifestItem, recordId } from '../../../../lib/contracts/manifest';
import {
  ErrorCode,
  ErrorRecord,
  Prediction,
  RECORDS_SCHEMA_VERSION,
  ResultRecord,
  SourceRef,
} from '../../../../lib/contracts/records';
import { boundReason } from './bound-reason';

/** What every record of one shard shares. */
export interface ShardContext {
  readonly batchId: string;
  readonly shard: number;
  readonly model: { readonly name: string; readonly version: string };
}

export function sourceRef(item: ManifestItem, offset: number): SourceRef {
  return {
    bucket: item.bucket,
    key: item.key,
    etag: item.etag,
    ...(item.versionId !== undefined ? { versionId: item.versionId } : {}),
    offset,
  };
}

export function resultRecord(
  context: ShardContext,
  item: ManifestItem,
  offset: number,
  predictions: readonly Prediction[],
): ResultRecord {
  return {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    recordId: recordId(item, offset),
    batchId: context.batchId,
    shard: context.shard,
    source: sourceRef(item, offset),
    model: context.model,
    predictions,
  };
}

export function errorRecord(
  context: ShardContext,
  item: ManifestItem,
  offset: number,
  code: ErrorCode,
  reason: string,
): ErrorRecord {
  return {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    recordId: recordId(item, offset),
    batchId: context.batchId,
    shard: context.shard,
    source: sourceRef(item, offset),
    code,
    reason: boundReason(reason),
  };
}
