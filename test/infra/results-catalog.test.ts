import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ResultsCatalog } from '../../lib/constructs/results-catalog';
import { RESULTS_TABLES } from '../../lib/constructs/private/results-tables';
import { schemaFiles } from '../helpers/contract-schemas';
import { hiveTypeOf, schemaColumns } from '../helpers/hive-types';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
let resultsBucket: string;
beforeAll(() => {
  template = synthTemplate();
  [resultsBucket] = Object.keys(template.findResources('AWS::S3::Bucket')).filter((id) =>
    id.startsWith('StorageResults'),
  );
});

interface TableInput {
  Name: string;
  Parameters: Record<string, unknown>;
  PartitionKeys: { Name: string; Type: string }[];
  StorageDescriptor: {
    Location: unknown;
    SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
    Columns: { Name: string; Type: string }[];
  };
}

function tableInputs(): Record<string, TableInput> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::Glue::Table')).map((table) => {
      const input = table.Properties.TableInput as TableInput;
      return [input.Name, input];
    }),
  );
}

/** `s3://<results bucket>/<path>` as CloudFormation renders it. */
const inResultsBucket = (path: string) => ({
  'Fn::Join': ['', ['s3://', { Ref: resultsBucket }, `/${path}`]],
});

describe('ResultsCatalog', () => {
  it('creates one Glue database, named after the name prefix', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: 'gbi_results' },
    });
  });

  it('has a table over results, errors, shard summaries and batch summaries, in that database', () => {
    expect(Object.keys(tableInputs()).sort()).toEqual([
      'batch_summaries',
      'errors',
      'results',
      'shard_summaries',
    ]);
    template.allResourcesProperties('AWS::Glue::Table', { DatabaseName: 'gbi_results' });
  });

  it.each([
    ['results', 'results/'],
    ['errors', 'errors/'],
    ['shard_summaries', 'summaries/'],
    ['batch_summaries', 'summaries/'],
  ])(
    'reads %s as JSON lines from %s of the results bucket, one partition per batch id',
    (name, prefix) => {
      const table = tableInputs()[name];
      expect(table.StorageDescriptor.Location).toEqual(inResultsBucket(prefix));
      expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.openx.data.jsonserde.JsonSerDe',
      );
      expect(table.PartitionKeys).toEqual([
        expect.objectContaining({ Name: 'batch_id', Type: 'string' }),
      ]);
      expect(table.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.batch_id.type': 'injected',
        'storage.location.template': inResultsBucket(`${prefix}\${batch_id}/`),
      });
    },
  );

  it('fails a query on a malformed line, except in the summaries prefix that two formats share', () => {
    const malformed = Object.fromEntries(
      Object.entries(tableInputs()).map(([name, table]) => [
        name,
        table.StorageDescriptor.SerdeInfo.Parameters['ignore.malformed.json'],
      ]),
    );
    expect(malformed).toEqual({
      results: 'FALSE',
      errors: 'FALSE',
      shard_summaries: 'TRUE',
      batch_summaries: 'TRUE',
    });
  });

  it.each(RESULTS_TABLES.map((table) => [table.name, table.schema]))(
    'gives %s exactly the fields of %s as columns, with the types the JSON SerDe reads',
    (name, schema) => {
      const columns = tableInputs()[name].StorageDescriptor.Columns.map((c) => ({
        name: c.Name,
        type: c.Type,
      }));
      expect(columns).toEqual(schemaColumns(schema, schemaFiles()));
    },
  );

  it('enforces an Athena workgroup that encrypts query results under query-results/', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'gbi-results',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          OutputLocation: inResultsBucket('query-results/'),
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });

  it('cancels a query after 100 GiB scanned', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 100 * 1024 ** 3 },
    });
  });

  it('names every bad prop at once', () => {
    // given a stack and a bucket
    const stack = new Stack(new App(), 'Bad');
    const bucket = new s3.Bucket(stack, 'Bucket');
    // when the catalog gets a bad database name, workgroup name and cutoff
    const build = () =>
      new ResultsCatalog(stack, 'Catalog', {
        resultsBucket: bucket,
        databaseName: 'has-dash',
        workGroupName: 'has space',
        bytesScannedCutoffPerQuery: 5,
      });
    // then one error names all three
    expect(build).toThrow(
      /databaseName: 'has-dash'.*workGroupName: 'has space'.*bytesScannedCutoffPerQuery/,
    );
  });
});

describe('the example queries in docs/operations.md', () => {
  const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
  const queries = [...docs.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]);
  const files = schemaFiles();

  /** Struct fields of a Hive type, `struct<a:string,b:struct<...>>` -> its top-level names. */
  function fieldsOf(type: string): Map<string, string> {
    const fields = new Map<string, string>();
    const inner = /^(?:array<)?struct<(.*)>>?$/.exec(type)?.[1] ?? '';
    let depth = 0;
    let start = 0;
    for (let i = 0; i <= inner.length; i += 1) {
      const c = inner[i];
      if (c === '<') depth += 1;
      if (c === '>') depth -= 1;
      if ((c === ',' && depth === 0) || i === inner.length) {
        const field = inner.slice(start, i);
        const colon = field.indexOf(':');
        fields.set(field.slice(0, colon), field.slice(colon + 1));
        start = i + 1;
      }
    }
    return fields;
  }

  it('has the accuracy, errors-by-code and one-file queries, and one per summaries table', () => {
    expect(queries.length).toBeGreaterThanOrEqual(5);
  });

  it.each(RESULTS_TABLES.map((table) => [table.name]))(
    'lists the columns of %s in its table row, in order',
    (name) => {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${name}\``)) ?? '';
      const listed = [...(row.split('|')[3] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]);
      const table = RESULTS_TABLES.find((t) => t.name === name)!;
      expect(listed).toEqual(table.columns.map((c) => c.name));
    },
  );

  it('queries only tables the catalog creates, and only their columns and fields', () => {
    const problems: string[] = [];
    for (const text of queries) {
      // String literals and quoted names ("$path") hold no column reference.
      const query = text.replace(/'[^']*'|"[^"]*"/g, "''");
      const aliases = new Map<string, string>();
      for (const [, table, alias] of query.matchAll(/FROM gbi_results\.(\w+) (\w+)/g)) {
        aliases.set(alias, table);
      }
      if (aliases.size === 0) problems.push(`no FROM gbi_results.<table> <alias> in: ${query}`);
      for (const name of aliases.values()) {
        const pattern = RESULTS_TABLES.find((t) => t.name === name)?.pathPattern;
        if (pattern && !text.includes(`"$path" LIKE '${pattern}'`)) {
          problems.push(`a query of ${name} without "$path" LIKE '${pattern}': ${text}`);
        }
      }
      for (const [reference, alias, path] of query.matchAll(
        /\b(\w+)\.([a-z_]\w*(?:\[\d+\])?(?:\.\w+)*)/g,
      )) {
        if (alias === 'gbi_results') continue;
        const table = RESULTS_TABLES.find((t) => t.name === aliases.get(alias));
        if (!table) {
          problems.push(`${reference}: alias ${alias} names no table of the catalog`);
          continue;
        }
        const [column, ...fields] = path.replace(/\[\d+\]/g, '').split('.');
        const columns = new Map(
          [...schemaColumns(table.schema, files), { name: 'batch_id', type: 'string' }].map((c) => [
            c.name,
            c.type,
          ]),
        );
        let type = columns.get(column);
        if (type === undefined)
          problems.push(`${reference}: ${table.name} has no column ${column}`);
        for (const field of fields) {
          type = type === undefined ? undefined : fieldsOf(type).get(field);
          if (type === undefined) {
            problems.push(`${reference}: no field ${field} in ${table.name}.${column}`);
            break;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // and the check itself resolves struct fields, so a typo there would be caught
    expect(
      fieldsOf(hiveTypeOf({ $ref: 'common.schema.json#/$defs/source' }, 'x', files)).has('key'),
    ).toBe(true);
  });
});
