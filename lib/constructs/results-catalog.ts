import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RESULTS_PREFIXES } from '../contracts/keys';
import { BATCH_PARTITION, RESULTS_TABLES } from './private/results-tables';

export interface ResultsCatalogProps {
  /** The bucket holding results/, errors/ and summaries/ (and Athena's query results). */
  readonly resultsBucket: s3.IBucket;
  /**
   * Glue database of the tables: lower-case letters, digits and underscores.
   * @default 'gbi_results'
   */
  readonly databaseName?: string;
  /**
   * Athena workgroup whose settings every query in it must use.
   * @default 'gbi-results'
   */
  readonly workGroupName?: string;
  /**
   * Most bytes one query may scan before Athena cancels it: a forgotten batch_id filter on a
   * large bucket costs this much at most.
   * @default 100 GiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** Glue and Athena name rules (Amazon Athena User Guide, "Name databases, tables, and columns"). */
const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

/**
 * Athena tables over what the pipeline writes: results, errors, shard and batch summaries, one
 * JSON object per line, partitioned by batch id through partition projection (an injected key), so
 * there is no crawler to run and no partition to add: every query names its batches. A
 * workgroup keeps query results encrypted in the results bucket and enforces that for every
 * query run in it.
 */
export class ResultsCatalog extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly databaseName: string;
  public readonly workGroupName: string;
  /** By table name: results, errors, shard_summaries, batch_summaries. */
  public readonly tables: Readonly<Record<string, glue.CfnTable>>;
  public readonly workGroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: ResultsCatalogProps) {
    super(scope, id);
    const databaseName = props.databaseName ?? 'gbi_results';
    const workGroupName = props.workGroupName ?? 'gbi-results';
    const cutoff = props.bytesScannedCutoffPerQuery ?? 100 * 1024 ** 3;
    const errors: string[] = [];
    if (!DATABASE_NAME.test(databaseName)) {
      errors.push(
        `databaseName: '${databaseName}' must be 1-255 lower-case letters, digits or underscores`,
      );
    }
    if (!WORKGROUP_NAME.test(workGroupName)) {
      errors.push(
        `workGroupName: '${workGroupName}' must be 1-128 letters, digits, dots, dashes or underscores`,
      );
    }
    // Athena's lower bound for the per-query cutoff is 10 MB.
    if (!Number.isInteger(cutoff) || cutoff < 10_000_000) {
      errors.push(`bytesScannedCutoffPerQuery: expected a whole number >= 10000000, got ${cutoff}`);
    }
    if (errors.length > 0) throw new Error(`ResultsCatalog: ${errors.join('; ')}`);
    this.databaseName = databaseName;
    this.workGroupName = workGroupName;

    const catalogId = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: databaseName,
        description: 'Results, errors, shard and batch summaries of the batch inference pipeline.',
      },
    });

    const bucketUrl = `s3://${props.resultsBucket.bucketName}/`;
    const tables: Record<string, glue.CfnTable> = {};
    for (const table of RESULTS_TABLES) {
      const location = `${bucketUrl}${table.prefix}`;
      const cfnTable = new glue.CfnTable(this, table.name, {
        catalogId,
        databaseName,
        tableInput: {
          name: table.name,
          description: table.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'json',
            'projection.enabled': 'true',
            [`projection.${BATCH_PARTITION}.type`]: 'injected',
            'storage.location.template': `${location}\${${BATCH_PARTITION}}/`,
          },
          partitionKeys: [
            { name: BATCH_PARTITION, type: 'string', comment: 'The batch id; give it in WHERE.' },
          ],
          storageDescriptor: {
            location,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: {
                'case.insensitive': 'TRUE',
                'ignore.malformed.json': table.pathPattern ? 'TRUE' : 'FALSE',
              },
            },
            columns: table.columns.map((column) => ({ ...column })),
          },
        },
      });
      cfnTable.node.addDependency(this.database);
      tables[table.name] = cfnTable;
    }
    this.tables = tables;

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: workGroupName,
      description: `Queries over ${databaseName}; results encrypted under ${RESULTS_PREFIXES.queryResults}.`,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `${bucketUrl}${RESULTS_PREFIXES.queryResults}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }
}
