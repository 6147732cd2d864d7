import { ManifestItem, MemberRef, recordId } from '../../../../lib/contracts/manifest';
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

/** Where a record comes from: an object version, the archive member if any, the offset. */
export interface RecordPlace {
  readonly item: ManifestItem;
  readonly offset: number;
  readonly member?: MemberRef;
}

export function sourceRef({ item, offset, member }: RecordPlace): SourceRef {
  return {
    bucket: item.bucket,
    key: item.key,
    etag: item.etag,
    ...(item.versionId !== undefined ? { versionId: item.versionId } : {}),
    offset,
    ...(member !== undefined ? { member: member.name, memberIndex: member.index } : {}),
  };
}

export function resultRecord(
  context: ShardContext,
  place: RecordPlace,
  predictions: readonly Prediction[],
): ResultRecord {
  return {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    recordId: recordId(place.item, place.offset, place.member),
    batchId: context.batchId,
    shard: context.shard,
    source: sourceRef(place),
    model: context.model,
    predictions,
  };
}

export function errorRecord(
  context: ShardContext,
  place: RecordPlace,
  code: ErrorCode,
  reason: string,
): ErrorRecord {
  return {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    recordId: recordId(place.item, place.offset, place.member),
    batchId: context.batchId,
    shard: context.shard,
    source: sourceRef(place),
    code,
    reason: boundReason(reason),
  };
}
