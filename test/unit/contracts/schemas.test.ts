import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS } from '../../../container/src/backend/choose-backend';
import {
  BATCH_STATUSES,
  BATCH_SUMMARY_SCHEMA_VERSION,
  COMPLETION_EVENT_SCHEMA_VERSION,
  SHARD_STATUSES,
} from '../../../lib/contracts/batch-summary';
import { MANIFEST_SCHEMA_VERSION } from '../../../lib/contracts/manifest';
import {
  ERROR_CODES,
  MAX_REASON_BYTES,
  RECORDS_SCHEMA_VERSION,
} from '../../../lib/contracts/records';
import {
  metadataProblems,
  REGISTRY_SCHEMA_VERSION,
  SAVED_MODEL_METADATA_VERSION,
} from '../../../lib/contracts/registry';
import {
  Contract,
  CONTRACTS,
  contractViolations,
  JsonSchema,
  schemaFiles,
} from '../../helpers/contract-schemas';

/** The fields of each TypeScript contract type that are not optional, in schema order. */
const REQUIRED: Record<Contract, readonly string[]> = {
  manifest: ['schemaVersion', 'batchId', 'createdAt', 'model', 'shardSize', 'shardCount', 'items'],
  'result-record': [
    'schemaVersion',
    'recordId',
    'batchId',
    'shard',
    'source',
    'model',
    'predictions',
  ],
  'error-record': ['schemaVersion', 'recordId', 'batchId', 'shard', 'source', 'code', 'reason'],
  'shard-summary': [
    'schemaVersion',
    'batchId',
    'shard',
    'model',
    'backend',
    'counts',
    'errorsByCode',
    'timings',
  ],
  'batch-summary': [
    'schemaVersion',
    'batchId',
    'status',
    'job',
    'model',
    'resultsBucket',
    'manifestKey',
    'counts',
    'errorsByCode',
    'submittedAt',
    'startedAt',
    'endedAt',
    'durationMs',
    'shards',
    'resultKeys',
    'errorKeys',
  ],
  // shards, resultKeys and errorKeys are optional here: left out of an event that would be too large.
  'completion-event': [
    'schemaVersion',
    'eventId',
    'summaryKey',
    'batchId',
    'status',
    'job',
    'model',
    'resultsBucket',
    'manifestKey',
    'counts',
    'errorsByCode',
    'submittedAt',
    'startedAt',
    'endedAt',
    'durationMs',
  ],
  'model-metadata': ['schemaVersion', 'name', 'version', 'format', 'input', 'labels', 'createdAt'],
  'champion-pointer': ['schemaVersion', 'name', 'version', 'updatedAt'],
  'promotion-event': ['schemaVersion', 'name', 'event', 'version', 'at', 'reason'],
  // schemaVersion is optional here: listings written before it was added lack it.
  'training-data-entry': ['key', 'size', 'kind'],
};

const CONTRACTS_DOC = join(__dirname, '..', '..', '..', 'docs', 'contracts.md');

/** The JSON example under each `<!-- example: <contract> -->` marker of docs/contracts.md. */
function docExamples(): Array<[Contract, Record<string, unknown>]> {
  const doc = readFileSync(CONTRACTS_DOC, 'utf-8');
  return [...doc.matchAll(/<!-- example: ([a-z-]+) -->\s*```json\n([\s\S]*?)```/g)].map(
    ([, contract, json]) => [contract as Contract, JSON.parse(json)],
  );
}

const examples = docExamples();
const exampleOf = (contract: Contract) => examples.find(([c]) => c === contract)![1];
const schemaOf = (contract: Contract) => schemaFiles()[`${contract}.schema.json`];
const clone = <T>(value: T): T => structuredClone(value);

/** Every path of a required field in `schema`, as it applies to `value`, one level of objects deep. */
function requiredPaths(schema: JsonSchema, value: Record<string, unknown>): string[][] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return ((schema.required ?? []) as string[]).flatMap((field) => {
    const nested = properties[field];
    const child = value[field];
    const inner =
      nested?.required && typeof child === 'object' && child !== null && !Array.isArray(child)
        ? requiredPaths(nested, child as Record<string, unknown>).map((p) => [field, ...p])
        : [];
    return [[field], ...inner];
  });
}

function without(value: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const copy = clone(value);
  let parent = copy;
  for (const field of path.slice(0, -1)) parent = parent[field] as Record<string, unknown>;
  delete parent[path.at(-1)!];
  return copy;
}

describe('the JSON Schemas of lib/contracts/schemas', () => {
  it('has one schema file per documented format, and nothing else but the shared definitions', () => {
    // given the schema folder / when its files are listed / then they are exactly the contracts
    expect(Object.keys(schemaFiles()).sort()).toEqual(
      ['common', ...CONTRACTS].map((c) => `${c}.schema.json`).sort(),
    );
  });

  it('documents an example of every format in docs/contracts.md', () => {
    // given the page / when its examples are collected / then each format has exactly one
    expect(examples.map(([contract]) => contract).sort()).toEqual([...CONTRACTS].sort());
  });

  it.each(CONTRACTS)('accepts the %s example of docs/contracts.md', (contract) => {
    // given the documented example / when it is validated / then its schema accepts it
    expect(contractViolations(contract, exampleOf(contract))).toEqual([]);
  });

  it.each(Object.entries(REQUIRED) as Array<[Contract, readonly string[]]>)(
    'requires exactly the non-optional top-level fields of the TypeScript type of a %s',
    (contract, fields) => {
      // given the fields the TypeScript interface does not mark optional
      // when each is removed from the valid example in turn
      const messages = fields.map((field) =>
        contractViolations(contract, without(exampleOf(contract), [field])),
      );

      // then each removal is refused, naming the field, and the schema requires no other
      expect(messages).toEqual(fields.map((field) => [`/ must have required property '${field}'`]));
      expect(schemaOf(contract).required).toEqual(fields);
    },
  );

  it.each(CONTRACTS)(
    'rejects a %s without any one of its required fields, nested ones too',
    (contract) => {
      // given the valid example and every required field of its schema, nested objects included
      const example = exampleOf(contract);
      const paths = requiredPaths(schemaOf(contract), example);
      expect(paths.length).toBeGreaterThan(0);

      // when each field in turn is removed
      const accepted = paths.filter(
        (path) => contractViolations(contract, without(example, path)).length === 0,
      );

      // then the schema rejects every such record
      expect(accepted).toEqual([]);
    },
  );

  it.each(CONTRACTS)('rejects a %s with a field the format does not have', (contract) => {
    // given the valid example with an undocumented field / when validated / then it is refused
    const violations = contractViolations(contract, { ...exampleOf(contract), surprise: true });
    expect(violations).toEqual([expect.stringContaining('(surprise)')]);
  });

  it('rejects a time that is not ISO 8601, naming the field', () => {
    // given a manifest whose createdAt is a locale string
    const manifest = { ...exampleOf('manifest'), createdAt: 'Thu Nov 26 2026 09:00' };

    // when validated / then the violation names createdAt
    expect(contractViolations('manifest', manifest)).toEqual([
      '/createdAt must match format "date-time"',
    ]);
  });

  it('rejects an error record with a code outside the error codes', () => {
    // given an error record with a made-up code / when validated / then the code is refused
    const record = { ...exampleOf('error-record'), code: 'BROKEN' };
    expect(contractViolations('error-record', record)).toEqual([
      expect.stringMatching(/^\/code must be equal to one of the allowed values/),
    ]);
  });

  it('accepts a record of an archive member only with both its name and its position', () => {
    // given the result example as the record of member #4 'digits/7.png', and with one half
    const example = exampleOf('result-record') as { source: Record<string, unknown> };
    const inMember = {
      ...example,
      source: { ...example.source, member: 'digits/7.png', memberIndex: 4 },
    };
    const nameOnly = { ...example, source: { ...example.source, member: 'digits/7.png' } };
    const indexOnly = { ...example, source: { ...example.source, memberIndex: 4 } };
    // when validated / then the whole pair passes and each half alone is refused
    expect(contractViolations('result-record', inMember)).toEqual([]);
    expect(contractViolations('result-record', nameOnly)).toEqual([
      expect.stringMatching(
        /^\/source must have property memberIndex when property member is present/,
      ),
    ]);
    expect(contractViolations('result-record', indexOnly)).toEqual([
      expect.stringMatching(
        /^\/source must have property member when property memberIndex is present/,
      ),
    ]);
  });

  it('rejects an image training-data entry without its label, and a record file with one', () => {
    // given an image entry without a label and a CSV entry with one
    const image = { ...exampleOf('training-data-entry') };
    delete image.label;
    const csv = { ...exampleOf('training-data-entry'), kind: 'csv' };

    // when validated / then both are refused
    expect(contractViolations('training-data-entry', image)).not.toEqual([]);
    expect(contractViolations('training-data-entry', csv)).not.toEqual([]);
  });

  it('rejects version metadata whose digests lack model.json, leave the version or are not hex', () => {
    // given the documented metadata with three kinds of bad digests
    const metadata = exampleOf('model-metadata');
    const digest = 'a'.repeat(64);
    const bad = [
      { 'weights.bin': digest },
      { 'model.json': digest, '../other/weights.bin': digest },
      { 'model.json': 'A'.repeat(64) },
    ];

    // when each is validated
    const accepted = bad.filter(
      (sha256) => contractViolations('model-metadata', { ...metadata, sha256 }).length === 0,
    );

    // then every one is refused, as metadataProblems refuses them
    expect(accepted).toEqual([]);
  });

  it('accepts and refuses image normalisation, top-k and source fields as metadataProblems does', () => {
    // given the documented metadata (a grayscale image model) with good and bad additions
    const metadata = exampleOf('model-metadata') as { input: Record<string, unknown> };
    const rgb = { ...metadata.input, channels: 3 };
    const good = [
      { input: { ...metadata.input, mean: [0.5], std: [0.25] } },
      { input: { ...rgb, mean: [0.4, 0.5, 0.6], std: [0.2, 0.2, 0.2], channelOrder: 'BGR' } },
      { defaultTopK: 5, importedFrom: 's3://exchange/models/cats/' },
    ];
    const bad = [
      { input: { ...metadata.input, mean: [0.5, 0.5, 0.5] } },
      { input: { ...rgb, std: [0.2, 0, 0.2] } },
      { input: { ...metadata.input, channelOrder: 'BGR' } },
      { input: { ...rgb, channelOrder: 'GBR' } },
      { defaultTopK: 0 },
      { importedFrom: '' },
    ];

    // when each is checked by the schema and by metadataProblems
    const verdicts = (changes: readonly object[]) =>
      changes.map((change) => {
        const value = { ...metadata, ...change };
        return [contractViolations('model-metadata', value).length, metadataProblems(value).length];
      });

    // then both accept every good one and refuse every bad one
    expect(verdicts(good)).toEqual(good.map(() => [0, 0]));
    expect(verdicts(bad).filter(([schema, code]) => schema === 0 || code === 0)).toEqual([]);
  });

  it('accepts SavedModel metadata at version 2 only, with its signature and saved_model.pb digest, as metadataProblems does', () => {
    // given the documented metadata turned into a SavedModel version's, and ways to get it wrong
    const metadata = exampleOf('model-metadata');
    const digest = 'b'.repeat(64);
    const savedModel = {
      ...metadata,
      schemaVersion: SAVED_MODEL_METADATA_VERSION,
      format: 'saved-model',
      savedModel: { tags: ['serve'], signature: 'serving_default' },
      sha256: { 'saved_model.pb': digest, 'variables/variables.index': digest },
    };
    const bad = [
      { schemaVersion: REGISTRY_SCHEMA_VERSION },
      { savedModel: undefined },
      { savedModel: { tags: [], signature: 'serving_default' } },
      { savedModel: { tags: ['serve'], signature: '' } },
      { sha256: { 'model.json': digest } },
      { format: 'layers' },
    ];

    // when each is checked by the schema and by metadataProblems
    const verdict = (value: object) => [
      contractViolations('model-metadata', value).length,
      metadataProblems(value).length,
    ];

    // then both accept the SavedModel metadata and refuse every bad variant, and a tfjs version
    // at version 2 or with a savedModel
    expect(verdict(savedModel)).toEqual([0, 0]);
    expect(
      bad
        .map((change) => verdict({ ...savedModel, ...change }))
        .filter(([schema, code]) => schema === 0 || code === 0),
    ).toEqual([]);
    for (const change of [
      { schemaVersion: SAVED_MODEL_METADATA_VERSION },
      { savedModel: savedModel.savedModel },
    ]) {
      expect(verdict({ ...metadata, ...change }).filter((n) => n === 0)).toEqual([]);
    }
  });

  it('accepts a training-data entry written before it had a schemaVersion', () => {
    // given an entry as listings before the version field hold it
    const old = { ...exampleOf('training-data-entry') };
    delete old.schemaVersion;

    // when validated / then it is accepted: an absent version means 1
    expect(contractViolations('training-data-entry', old)).toEqual([]);
  });

  it('rejects a succeeded shard outcome without counts, and a failed one without its reason', () => {
    // given the documented summary's succeeded shard without counts, and its failed one without a reason
    const summary = exampleOf('batch-summary') as { shards: Record<string, unknown>[] };
    const [succeeded, failed] = summary.shards;
    const noCounts = { ...summary, shards: [{ ...succeeded, counts: undefined }, failed] };
    const noReason = { ...summary, shards: [succeeded, { ...failed, reason: undefined }] };
    delete noCounts.shards[0].counts;
    delete noReason.shards[1].reason;

    // when validated / then both are refused
    expect(contractViolations('batch-summary', noCounts)).not.toEqual([]);
    expect(contractViolations('batch-summary', noReason)).not.toEqual([]);
  });

  it('rejects a completion event carrying the shards without the key lists', () => {
    // given the documented event without resultKeys / when validated / then it is refused
    const event = { ...exampleOf('completion-event') };
    delete event.resultKeys;
    expect(contractViolations('completion-event', event)).not.toEqual([]);
  });

  it('accepts a completion event without the three lists, as a too-large one is sent', () => {
    // given the documented event without shards and key lists / when validated / then it conforms
    const event = { ...exampleOf('completion-event') };
    delete event.shards;
    delete event.resultKeys;
    delete event.errorKeys;
    expect(contractViolations('completion-event', event)).toEqual([]);
  });

  it('rejects a record of a schemaVersion the schema does not describe', () => {
    // given a result record claiming version 2 / when validated / then the version is refused
    const record = { ...exampleOf('result-record'), schemaVersion: 2 };
    expect(contractViolations('result-record', record)).toEqual([
      expect.stringContaining('/schemaVersion must be equal to constant'),
    ]);
  });
});

describe('the schemas agree with the TypeScript contracts', () => {
  const versionOf = (contract: Contract) =>
    (schemaOf(contract).properties as Record<string, JsonSchema>).schemaVersion.const;
  const common = () => schemaFiles()['common.schema.json'].$defs as Record<string, JsonSchema>;

  it('pins each format to the schema version its TypeScript module writes', () => {
    // given the version constants / when compared with each schema's const / then they match
    expect(versionOf('manifest')).toBe(MANIFEST_SCHEMA_VERSION);
    expect(versionOf('batch-summary')).toBe(BATCH_SUMMARY_SCHEMA_VERSION);
    expect(versionOf('completion-event')).toBe(COMPLETION_EVENT_SCHEMA_VERSION);
    for (const contract of ['result-record', 'error-record', 'shard-summary'] as const) {
      expect([contract, versionOf(contract)]).toEqual([contract, RECORDS_SCHEMA_VERSION]);
    }
    // Version metadata is at 1 for tfjs versions and 2 for SavedModel versions.
    const metadata = schemaOf('model-metadata') as {
      properties: Record<string, JsonSchema>;
      allOf: {
        then: { properties: Record<string, JsonSchema> };
        else: (typeof metadata.allOf)[0]['then'];
      }[];
    };
    expect(metadata.properties.schemaVersion.enum).toEqual([
      REGISTRY_SCHEMA_VERSION,
      SAVED_MODEL_METADATA_VERSION,
    ]);
    expect(metadata.allOf[0].then.properties.schemaVersion.const).toBe(
      SAVED_MODEL_METADATA_VERSION,
    );
    expect(metadata.allOf[0].else.properties.schemaVersion.const).toBe(REGISTRY_SCHEMA_VERSION);
    for (const contract of [
      'champion-pointer',
      'promotion-event',
      'training-data-entry',
    ] as const) {
      expect([contract, versionOf(contract)]).toEqual([contract, REGISTRY_SCHEMA_VERSION]);
    }
  });

  it('lists exactly the error codes of lib/contracts/records.ts', () => {
    // given ERROR_CODES / when compared with the schema's enum / then they are the same list
    expect(common().errorCode.enum).toEqual([...ERROR_CODES]);
  });

  it('bounds an error reason by MAX_REASON_BYTES', () => {
    // given the byte bound / when compared with the schema's length bound / then they agree
    const properties = schemaOf('error-record').properties as Record<string, JsonSchema>;
    expect(properties.reason.maxLength).toBe(MAX_REASON_BYTES);
  });

  it('lists exactly the batch and shard statuses of lib/contracts/batch-summary.ts', () => {
    // given the status lists / when compared with the schema's enums / then they are the same
    const defs = schemaOf('batch-summary').$defs as Record<string, JsonSchema>;
    const outcome = defs.shardOutcome.properties as Record<string, JsonSchema>;
    expect(defs.batchStatus.enum).toEqual([...BATCH_STATUSES]);
    expect(outcome.status.enum).toEqual([...SHARD_STATUSES]);
  });

  it('lists exactly the backends the worker names in its summaries', () => {
    // given BACKENDS / when compared with the summary schema's enum / then they are the same list
    const properties = schemaOf('shard-summary').properties as Record<string, JsonSchema>;
    expect(properties.backend.enum).toEqual([...BACKENDS]);
  });
});
