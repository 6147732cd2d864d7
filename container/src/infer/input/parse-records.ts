import type { MemberRef } from '../../../../lib/contracts/manifest';
import type { ErrorCode } from '../../../../lib/contracts/records';
import type { InputSpec } from '../../../../lib/contracts/registry';
import { RecordError } from '../errors';
import { describeValue, quoteText } from './describe-value';
import type { RecordsFormat } from './detect-format';
import { cellValue, featureProblem } from './feature-value';
import { lineAt, TextLine, textLines } from './text-lines';

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

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RecordError('DECODE_FAILED', 'records file is not valid UTF-8 text');
  }
}

function parseJson(bytes: Uint8Array, spec: FeaturesSpec): ParsedRecords {
  const text = decodeText(bytes);
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

function emptyResult(): ParsedRecords {
  return { records: [], failures: [], skipped: 0 };
}

/**
 * Most values (JSON values, CSV cells) one line may hold before it is refused unparsed. A line
 * of a few numbers written as 50 MB of them would otherwise parse into tens of millions of
 * values (1 GB of heap) only to fail the feature count; with this, one line costs about its
 * own bytes (docs/container.md, Memory).
 */
export function maxLineValues(spec: FeaturesSpec): number {
  return 16 * spec.size + 1024;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);

/** How many commas `text` holds, counting no further than `stop`. */
function countCommas(text: string, stop: number): number {
  let count = 0;
  for (let at = text.indexOf(','); at >= 0 && count < stop; at = text.indexOf(',', at + 1)) {
    count++;
  }
  return count;
}

/** An upper bound on the values in a JSON text (its commas and openers outside strings). */
function jsonValueBound(text: string, stop: number): number {
  let count = 1;
  let inString = false;
  for (let at = 0; at < text.length && count <= stop; at++) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === BACKSLASH) at++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === COMMA || OPENERS.has(code)) count++;
  }
  return count;
}

function notUtf8(line: TextLine): RecordError {
  return new RecordError('DECODE_FAILED', `${lineAt(line)}: not valid UTF-8`);
}

const isBlank = (line: TextLine) => line.text !== undefined && line.text.trim().length === 0;

function parseJsonLines(bytes: Uint8Array, spec: FeaturesSpec): ParsedRecords {
  const out = emptyResult();
  let skipped = 0;
  for (const line of textLines(bytes)) {
    const offset = line.number;
    if (isBlank(line)) {
      skipped++;
      continue;
    }
    collect(
      offset,
      () => {
        const { text } = line;
        if (text === undefined) throw notUtf8(line);
        const most = maxLineValues(spec);
        if (jsonValueBound(text, most) > most) {
          throw new RecordError(
            'BAD_ROW',
            `line ${offset}: holds more than ${most} JSON values (16 per feature + 1024), not parsed`,
          );
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
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
  }
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

function parseCsv(bytes: Uint8Array, spec: FeaturesSpec): ParsedRecords {
  const lines = [...textLines(bytes)];
  const first = lines.findIndex((line) => !isBlank(line));
  const firstText = first >= 0 ? lines[first].text : '';
  // The first row may be the header that maps columns to features: without it every row
  // could be read with the wrong columns, so it alone fails the whole object.
  if (firstText === undefined) {
    throw new RecordError(
      'DECODE_FAILED',
      `${lineAt(lines[first])}: not valid UTF-8; it is the first row, which may name the columns, so no row is read`,
    );
  }
  const most = maxLineValues(spec);
  if (countCommas(firstText, most) >= most) {
    throw new RecordError(
      'BAD_SHAPE',
      `CSV first row (line ${first}) has more than ${most} columns (16 per feature + 1024), not read`,
    );
  }
  const firstCells = first >= 0 ? csvCells(firstText) : [];
  // A first row with any non-numeric cell is a header; feature rows are all numbers.
  const header = first >= 0 && !firstCells.every(isNumeric) ? firstCells : undefined;
  const columns = columnsFor(header, spec);
  const width = header?.length ?? spec.size;
  const names = header ?? spec.names ?? columns.map(String);
  const out = emptyResult();
  let skipped = 0;
  for (const line of lines) {
    const offset = line.number;
    if (header && offset <= first) continue;
    if (isBlank(line)) {
      skipped++;
      continue;
    }
    collect(
      offset,
      () => {
        if (line.text === undefined) throw notUtf8(line);
        // Counted before splitting, so a row of millions of cells is never split.
        const commas = countCommas(line.text, width);
        if (commas !== width - 1) {
          const got = commas < width ? `${commas + 1}` : `more than ${width}`;
          throw new RecordError('BAD_ROW', `row ${offset}: expected ${width} values, got ${got}`);
        }
        const cells = csvCells(line.text);
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
  }
  return { ...out, skipped };
}

/**
 * Numeric feature records of a JSON, JSONL or CSV object's bytes (UTF-8). A bad record, a JSONL
 * line or CSV row of invalid UTF-8 included, becomes a failure at its offset and the others
 * are kept; an object that cannot be read at all throws a RecordError.
 */
export function parseRecords(
  format: RecordsFormat,
  bytes: Uint8Array,
  spec: FeaturesSpec,
): ParsedRecords {
  switch (format) {
    case 'json':
      return parseJson(bytes, spec);
    case 'jsonl':
      return parseJsonLines(bytes, spec);
    case 'csv':
      return parseCsv(bytes, spec);
  }
}
