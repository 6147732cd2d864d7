import type { MemberRef } from '../../../../lib/contracts/manifest';
import type { ErrorCode } from '../../../../lib/contracts/records';
import type { InputSpec } from '../../../../lib/contracts/registry';
import { RecordError } from '../errors';
import { describeValue, quoteText } from './describe-value';
import type { RecordsFormat } from './detect-format';
import { cellValue, featureProblem } from './feature-value';

export type FeaturesSpec = Extract<InputSpec, { kind: 'features' }>;

export interface ParsedRecord {
  /** Index inside the object: array index for JSON, 0-based line number for JSONL and CSV. */
  readonly offset: number;
  readonly values: Float32Array;
}

export interface RecordFailure {
  readonly offset: number;
  readonly code: ErrorCode;
  readonly reason: string;
  /** The archive member it is in, when the object is an archive. */
  readonly member?: MemberRef;
}

export interface ParsedRecords {
  readonly records: ParsedRecord[];
  readonly failures: RecordFailure[];
  /** Blank lines: nothing to score, nothing wrong. */
  readonly skipped: number;
}

function fromArray(
  values: readonly unknown[],
  spec: FeaturesSpec,
  names?: readonly string[],
): Float32Array {
  if (values.length !== spec.size) {
    throw new RecordError('BAD_SHAPE', `expected ${spec.size} features, got ${values.length}`);
  }
  return Float32Array.from(values, (value, i) => {
    const problem = featureProblem(value);
    if (problem !== undefined) {
      throw new RecordError('BAD_SHAPE', `feature ${names ? `'${names[i]}'` : i} is ${problem}`);
    }
    return value as number;
  });
}

function fromObject(value: Record<string, unknown>, spec: FeaturesSpec): Float32Array {
  if (!spec.names) {
    throw new RecordError(
      'BAD_SHAPE',
      'record is an object but the model metadata names no features; send an array of numbers',
    );
  }
  const missing = spec.names.filter((name) => !(name in value));
  if (missing.length > 0) {
    throw new RecordError('BAD_SHAPE', `missing features: ${missing.join(', ')}`);
  }
  return fromArray(
    spec.names.map((name) => value[name]),
    spec,
    spec.names,
  );
}

/** One record from a parsed JSON value: an array of numbers or an object keyed by feature name. */
export function featuresFromJson(value: unknown, spec: FeaturesSpec): Float32Array {
  if (Array.isArray(value)) return fromArray(value, spec);
  if (typeof value === 'object' && value !== null) {
    return fromObject(value as Record<string, unknown>, spec);
  }
  throw new RecordError(
    'BAD_SHAPE',
    `record is ${describeValue(value)}, expected an array of numbers or an object`,
  );
}

function collect(
  offset: number,
  parse: () => Float32Array,
  into: { records: ParsedRecord[]; failures: RecordFailure[] },
): void {
  try {
    into.records.push({ offset, values: parse() });
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    into.failures.push({ offset, code: error.code, reason: error.message });
  }
}

function parseJson(text: string, spec: FeaturesSpec): ParsedRecords {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordError('DECODE_FAILED', `invalid JSON: ${(error as Error).message}`);
  }
  const out = emptyResult();
  // An array holding arrays or objects is a list of records; a flat array is one record.
  const many =
    Array.isArray(value) &&
    value.some((element) => typeof element === 'object' && element !== null);
  const records = many ? (value as unknown[]) : [value];
  records.forEach((record, offset) => collect(offset, () => featuresFromJson(record, spec), out));
  return out;
}

/** Lines of a text file; a final newline ends the last line rather than starting an empty one. */
function linesOf(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function emptyResult(): ParsedRecords {
  return { records: [], failures: [], skipped: 0 };
}

function parseJsonLines(text: string, spec: FeaturesSpec): ParsedRecords {
  const out = emptyResult();
  let skipped = 0;
  linesOf(text).forEach((line, offset) => {
    if (line.trim().length === 0) {
      skipped++;
      return;
    }
    collect(
      offset,
      () => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw new RecordError(
            'BAD_ROW',
            `line ${offset}: invalid JSON (${(error as Error).message})`,
          );
        }
        return featuresFromJson(value, spec);
      },
      out,
    );
  });
  return { ...out, skipped };
}

function csvCells(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function isNumeric(cell: string): boolean {
  return 'value' in cellValue(cell);
}

/** Which CSV column feeds each feature, from the header when there is one. */
function columnsFor(header: string[] | undefined, spec: FeaturesSpec): number[] {
  if (header && spec.names) {
    const missing = spec.names.filter((name) => !header.includes(name));
    if (missing.length > 0) {
      throw new RecordError('BAD_SHAPE', `CSV header lacks features: ${missing.join(', ')}`);
    }
    return spec.names.map((name) => header.indexOf(name));
  }
  if (header && header.length !== spec.size) {
    throw new RecordError(
      'BAD_SHAPE',
      `CSV header has ${header.length} columns, the model expects ${spec.size} features`,
    );
  }
  return Array.from({ length: spec.size }, (_, i) => i);
}

function parseCsv(text: string, spec: FeaturesSpec): ParsedRecords {
  const lines = linesOf(text);
  const first = lines.findIndex((line) => line.trim().length > 0);
  const firstCells = first >= 0 ? csvCells(lines[first]) : [];
  // A first row with any non-numeric cell is a header; feature rows are all numbers.
  const header = first >= 0 && !firstCells.every(isNumeric) ? firstCells : undefined;
  const columns = columnsFor(header, spec);
  const width = header?.length ?? spec.size;
  const names = header ?? spec.names ?? columns.map(String);
  const out = emptyResult();
  let skipped = 0;
  lines.forEach((line, offset) => {
    if (header && offset <= first) return;
    if (line.trim().length === 0) {
      skipped++;
      return;
    }
    collect(
      offset,
      () => {
        const cells = csvCells(line);
        if (cells.length !== width) {
          throw new RecordError(
            'BAD_ROW',
            `row ${offset}: expected ${width} values, got ${cells.length}`,
          );
        }
        return Float32Array.from(columns, (column) => {
          const cell = cellValue(cells[column]);
          if ('problem' in cell) {
            throw new RecordError(
              'BAD_ROW',
              `row ${offset}, column ${quoteText(names[column], "'")}: ${cell.problem}`,
            );
          }
          return cell.value;
        });
      },
      out,
    );
  });
  return { ...out, skipped };
}

/**
 * Numeric feature records of a JSON, JSONL or CSV object. A bad record becomes a failure at its
 * offset and the others are kept; an object that cannot be read at all throws a RecordError.
 */
export function parseRecords(
  format: RecordsFormat,
  text: string,
  spec: FeaturesSpec,
): ParsedRecords {
  switch (format) {
    case 'json':
      return parseJson(text, spec);
    case 'jsonl':
      return parseJsonLines(text, spec);
    case 'csv':
      return parseCsv(text, spec);
  }
}
