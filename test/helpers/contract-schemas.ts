import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const SCHEMA_DIR = join(__dirname, '..', '..', 'lib', 'contracts', 'schemas');

/** The formats with a schema of their own (common.schema.json only holds shared definitions). */
export const CONTRACTS = [
  'manifest',
  'result-record',
  'error-record',
  'shard-summary',
  'batch-summary',
  'completion-event',
  'model-metadata',
  'champion-pointer',
  'promotion-event',
  'training-data-entry',
] as const;
export type Contract = (typeof CONTRACTS)[number];

export type JsonSchema = Record<string, unknown>;

/** Every schema file, parsed, by file name. */
export function schemaFiles(): Record<string, JsonSchema> {
  return Object.fromEntries(
    readdirSync(SCHEMA_DIR)
      .filter((file) => file.endsWith('.schema.json'))
      .map((file) => [file, JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf-8'))]),
  );
}

let ajv: Ajv2020 | undefined;

/**
 * One Ajv instance holding every schema: strict, so a typo'd keyword is an error rather than
 * an ignored constraint, and with formats, so date-time is checked and not just allowed.
 */
function validatorSet(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const schema of Object.values(schemaFiles())) ajv.addSchema(schema);
  return ajv;
}

/** Every way `value` breaks `contract`, as "<path> <message>" lines; empty when it conforms. */
export function contractViolations(contract: Contract, value: unknown): string[] {
  const validate = validatorSet().getSchema(`${contract}.schema.json`);
  if (!validate) throw new Error(`no schema ${contract}.schema.json in ${SCHEMA_DIR}`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message}${paramsOf(e)}`,
  );
}

const paramsOf = (e: ErrorObject) =>
  e.keyword === 'additionalProperties'
    ? ` (${String(e.params.additionalProperty)})`
    : e.keyword === 'enum' || e.keyword === 'const'
      ? ` (${JSON.stringify(e.params)})`
      : '';

/**
 * Checks many values of one contract and names each one that fails with its problems, so a
 * failing test says which record broke the contract and how.
 */
export function violationsOfEach(
  contract: Contract,
  values: readonly unknown[],
  describe: (value: unknown, index: number) => string = (_, i) => `#${i}`,
): string[] {
  return values.flatMap((value, i) =>
    contractViolations(contract, value).map((v) => `${contract} ${describe(value, i)}: ${v}`),
  );
}
