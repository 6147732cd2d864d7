import { RESULTS_PREFIXES } from '../../contracts/keys';

/** A Glue column: a lower-case name (Glue lower-cases them anyway) and a Hive type. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/** A table over one JSON format under one results-bucket prefix, partitioned by batch id. */
export interface ResultsTable {
  readonly name: string;
  /** Prefix of RESULTS_PREFIXES the format lives under, as `<prefix><batch-id>/...`. */
  readonly prefix: string;
  /** The JSON Schema (lib/contracts/schemas/) whose properties the columns are. */
  readonly schema: string;
  readonly description: string;
  readonly columns: readonly GlueColumn[];
  /**
   * Set where two formats share the prefix (summaries/<batch-id>/): the `"$path" LIKE` pattern
   * of this table's files. Queries filter on it (docs/operations.md), as a row of the other
   * format would read as nulls, and the table skips rows it cannot parse instead of failing.
   */
  readonly pathPattern?: string;
}

/** The partition column: the batch id of `<prefix><batch-id>/`, given by each query. */
export const BATCH_PARTITION = 'batch_id';

const SOURCE =
  'struct<bucket:string,key:string,etag:string,versionid:string,offset:bigint,member:string,memberindex:bigint>';
const PINNED_MODEL = 'struct<name:string,version:string>';

const RECORD_COLUMNS: readonly GlueColumn[] = [
  { name: 'schemaversion', type: 'bigint', comment: 'Format version of the record.' },
  {
    name: 'recordid',
    type: 'string',
    comment: 'Stable id of the source object version and offset.',
  },
  { name: 'batchid', type: 'string', comment: 'The batch, as in the record (equal to batch_id).' },
  { name: 'shard', type: 'bigint', comment: 'Zero-based shard index.' },
  {
    name: 'source',
    type: SOURCE,
    comment: 'The input object version, the archive member if any, and the offset inside it.',
  },
];

export const RESULTS_TABLES: readonly ResultsTable[] = [
  {
    name: 'results',
    prefix: RESULTS_PREFIXES.results,
    schema: 'result-record.schema.json',
    description: 'One row per scored record (results/<batch-id>/shard-NNNNN.jsonl).',
    columns: [
      ...RECORD_COLUMNS,
      { name: 'model', type: PINNED_MODEL, comment: 'The model name and version that scored it.' },
      {
        name: 'predictions',
        type: 'array<struct<label:string,score:double>>',
        comment: 'Top-k labels, highest score first.',
      },
    ],
  },
  {
    name: 'errors',
    prefix: RESULTS_PREFIXES.errors,
    schema: 'error-record.schema.json',
    description:
      'One row per record that could not be scored (errors/<batch-id>/shard-NNNNN.jsonl).',
    columns: [
      ...RECORD_COLUMNS,
      { name: 'code', type: 'string', comment: 'Stable error code (ERROR_CODES).' },
      { name: 'reason', type: 'string', comment: 'What was wrong with the input, for people.' },
    ],
  },
  {
    name: 'shard_summaries',
    prefix: RESULTS_PREFIXES.summaries,
    schema: 'shard-summary.schema.json',
    description:
      'One row per finished shard (summaries/<batch-id>/shard-NNNNN.json); filter on "$path".',
    columns: [
      { name: 'schemaversion', type: 'bigint', comment: 'Format version of the summary.' },
      { name: 'batchid', type: 'string', comment: 'The batch (equal to batch_id).' },
      { name: 'shard', type: 'bigint', comment: 'Zero-based shard index.' },
      { name: 'model', type: PINNED_MODEL, comment: 'The model name and version the shard used.' },
      { name: 'backend', type: 'string', comment: 'The TensorFlow.js backend the shard ran on.' },
      {
        name: 'counts',
        type: 'struct<ok:bigint,failed:bigint,skipped:bigint>',
        comment: 'Records scored, failed, and blank lines skipped.',
      },
      {
        name: 'errorsbycode',
        type: 'map<string,bigint>',
        comment: 'Failed records per error code.',
      },
      {
        name: 'timings',
        type: 'struct<startedat:string,finishedat:string,totalms:bigint,downloadms:bigint,decodems:bigint,inferencems:bigint,writems:bigint>',
        comment: 'Wall clock and time per stage, in milliseconds.',
      },
    ],
    pathPattern: '%/shard-%',
  },
  {
    name: 'batch_summaries',
    prefix: RESULTS_PREFIXES.summaries,
    schema: 'batch-summary.schema.json',
    description: 'One row per finished batch (summaries/<batch-id>/batch.json); filter on "$path".',
    columns: [
      { name: 'schemaversion', type: 'bigint', comment: 'Format version of the summary.' },
      { name: 'batchid', type: 'string', comment: 'The batch (equal to batch_id).' },
      { name: 'status', type: 'string', comment: 'SUCCEEDED, PARTIAL or FAILED.' },
      {
        name: 'job',
        type: 'struct<id:string,name:string,status:string,statusreason:string>',
        comment: 'The AWS Batch job that ran the batch.',
      },
      {
        name: 'model',
        type: PINNED_MODEL,
        comment: 'The model; version absent when shards differ.',
      },
      { name: 'resultsbucket', type: 'string', comment: 'Bucket of the keys below.' },
      { name: 'manifestkey', type: 'string', comment: 'Key of the manifest.' },
      {
        name: 'counts',
        type: 'struct<files:bigint,shards:bigint,shardssucceeded:bigint,shardsfailed:bigint,ok:bigint,failed:bigint,skipped:bigint>',
        comment: 'Files, shards by outcome, and records over the succeeded shards.',
      },
      { name: 'errorsbycode', type: 'map<string,bigint>', comment: 'Failed records per code.' },
      { name: 'submittedat', type: 'string', comment: 'When the job was submitted (ISO 8601).' },
      { name: 'startedat', type: 'string', comment: 'When the job started (ISO 8601).' },
      { name: 'endedat', type: 'string', comment: 'When the job ended (ISO 8601).' },
      { name: 'durationms', type: 'bigint', comment: 'endedAt - startedAt.' },
      {
        name: 'shards',
        type: 'array<struct<shard:bigint,status:string,counts:struct<ok:bigint,failed:bigint,skipped:bigint>,modelversion:string,reason:string,resultkey:string,errorkey:string,summarykey:string>>',
        comment: 'One outcome per shard, in shard order.',
      },
      {
        name: 'resultkeys',
        type: 'array<string>',
        comment: 'Result streams of the succeeded shards.',
      },
      {
        name: 'errorkeys',
        type: 'array<string>',
        comment: 'Error streams of the succeeded shards.',
      },
    ],
    pathPattern: '%/batch.json',
  },
];
