import { cellValue, featureProblem } from '../infer/input/feature-value';
import type { FeaturesInputSpec } from './architecture';
import { LabelError, UnreadableSampleError } from './errors';

/** One parsed JSONL/CSV record before its label is mapped to a class index. */
export interface TabularRecord {
  readonly features: Float32Array;
  readonly label: string;
}

/**
 * A JSONL line is an object with the label field and either `features: number[]` or, when the
 * input spec names its features, one numeric field per name.
 */
export function parseJsonlRecord(
  line: string,
  id: string,
  spec: FeaturesInputSpec,
  labelColumn: string,
): TabularRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UnreadableSampleError(`${id}: invalid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnreadableSampleError(`${id}: expected a JSON object per line`);
  }
  const record = value as Record<string, unknown>;
  const label = labelText(record[labelColumn], id, labelColumn);
  const raw = spec.names
    ? spec.names.map((name) => record[name])
    : Array.isArray(record.features)
      ? record.features
      : undefined;
  if (!raw) {
    throw new UnreadableSampleError(`${id}: no 'features' array`);
  }
  return { features: toFeatures(raw, id, spec, spec.names), label };
}

/** Column positions of a CSV file, from its header line. */
export interface CsvLayout {
  readonly labelIndex: number;
  readonly featureIndexes: readonly number[];
  readonly featureNames: readonly string[];
}

/**
 * The header must contain the label column; features are the named columns of the input spec,
 * or else every other column in order.
 */
export function csvLayout(
  header: string,
  source: string,
  spec: FeaturesInputSpec,
  labelColumn: string,
): CsvLayout {
  const columns = splitCsvLine(header);
  const labelIndex = columns.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new LabelError(`${source}: header has no '${labelColumn}' column`, 'missing-label');
  }
  const names = spec.names ?? columns.filter((_, index) => index !== labelIndex);
  const featureIndexes = names.map((name) => columns.indexOf(name));
  const absent = names.filter((_, i) => featureIndexes[i] < 0);
  if (absent.length > 0) {
    throw new UnreadableSampleError(`${source}: header lacks feature columns ${absent.join(', ')}`);
  }
  if (featureIndexes.length !== spec.size) {
    throw new UnreadableSampleError(
      `${source}: ${featureIndexes.length} feature columns, the model expects ${spec.size}`,
    );
  }
  return { labelIndex, featureIndexes, featureNames: names };
}

export function parseCsvRecord(
  line: string,
  id: string,
  layout: CsvLayout,
  spec: FeaturesInputSpec,
  labelColumn: string,
): TabularRecord {
  const cells = splitCsvLine(line);
  const label = labelText(cells[layout.labelIndex], id, labelColumn);
  const raw = layout.featureIndexes.map((index, i) => {
    const cell = cells[index]?.trim() ?? '';
    if (cell === '') return undefined;
    const parsed = cellValue(cell);
    if ('problem' in parsed) {
      throw new UnreadableSampleError(
        `${id}: feature '${layout.featureNames[i]}': ${parsed.problem}`,
      );
    }
    return parsed.value;
  });
  return { features: toFeatures(raw, id, spec, layout.featureNames), label };
}

/** Splits one CSV line, honouring double-quoted cells with `""` escapes (RFC 4180). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.replace(/\r$/, ''));
  return cells;
}

function labelText(value: unknown, id: string, labelColumn: string): string {
  if (value === undefined || value === null || String(value).trim() === '') {
    throw new LabelError(`${id}: missing label '${labelColumn}'`, 'missing-label');
  }
  return String(value).trim();
}

function toFeatures(
  raw: readonly unknown[],
  id: string,
  spec: FeaturesInputSpec,
  names: readonly string[] | undefined,
): Float32Array {
  if (raw.length !== spec.size) {
    throw new UnreadableSampleError(
      `${id}: ${raw.length} features, the model expects ${spec.size}`,
    );
  }
  const out = new Float32Array(spec.size);
  for (let i = 0; i < raw.length; i++) {
    const problem = featureProblem(raw[i]);
    if (problem !== undefined) {
      const name = names ? `'${names[i]}'` : `#${i}`;
      throw new UnreadableSampleError(`${id}: feature ${name} is ${problem}`);
    }
    out[i] = raw[i] as number;
  }
  return out;
}
