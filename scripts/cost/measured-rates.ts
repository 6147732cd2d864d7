import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GPU_INSTANCE_TYPES, GpuInstanceType } from './cost-prices';

/**
 * One measured worker rate: records per second that one instance scores end to end (S3 reads,
 * decode, inference, writes) for objects of one size holding a number of records each.
 * Benchmarks write these rows to docs/measured-rates.json; the cost model reads them.
 */
export interface MeasuredRate {
  readonly objectBytes: number;
  readonly recordsPerObject: number;
  readonly recordsPerSecond: number;
  /** The instance type measured on; absent when the row stands for every type. */
  readonly instanceType?: GpuInstanceType;
  /** What measured it: command, date, machine and setting, as the cost doc cites it. */
  readonly source: string;
}

export interface MeasuredRateTable {
  readonly rows: readonly MeasuredRate[];
}

export class MeasuredRatesError extends Error {
  override readonly name = 'MeasuredRatesError';
}

function positive(row: Record<string, unknown>, field: string, at: string): number {
  const value = row[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new MeasuredRatesError(
      `${at}.${field}: expected a positive number, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates a parsed rates file; errors name the row and field. */
export function parseMeasuredRates(json: unknown): MeasuredRateTable {
  const rows = (json as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new MeasuredRatesError('rows: expected a non-empty array of measured rates');
  }
  return {
    rows: rows.map((raw: unknown, i): MeasuredRate => {
      const at = `rows[${i}]`;
      if (typeof raw !== 'object' || raw === null) {
        throw new MeasuredRatesError(`${at}: expected an object`);
      }
      const row = raw as Record<string, unknown>;
      const { instanceType, source } = row;
      if (
        instanceType !== undefined &&
        !GPU_INSTANCE_TYPES.includes(instanceType as GpuInstanceType)
      ) {
        throw new MeasuredRatesError(
          `${at}.instanceType: expected one of ${GPU_INSTANCE_TYPES.join(', ')}, got ${String(instanceType)}`,
        );
      }
      if (typeof source !== 'string' || source.trim() === '') {
        throw new MeasuredRatesError(`${at}.source: expected what measured the rate`);
      }
      return {
        objectBytes: positive(row, 'objectBytes', at),
        recordsPerObject: positive(row, 'recordsPerObject', at),
        recordsPerSecond: positive(row, 'recordsPerSecond', at),
        ...(instanceType === undefined ? {} : { instanceType: instanceType as GpuInstanceType }),
        source,
      };
    }),
  };
}

export function readMeasuredRates(path: string): MeasuredRateTable {
  try {
    return parseMeasuredRates(JSON.parse(readFileSync(path, 'utf-8')));
  } catch (error) {
    throw new MeasuredRatesError(`${path}: ${(error as Error).message}`);
  }
}

const sameKey = (a: MeasuredRate, b: MeasuredRate) =>
  a.objectBytes === b.objectBytes &&
  a.recordsPerObject === b.recordsPerObject &&
  a.instanceType === b.instanceType;

/**
 * Adds a benchmark's rows to the rates file, replacing rows measured at the same object size,
 * records per object and instance type, so each bench refreshes only its own points.
 */
export function upsertMeasuredRates(path: string, rows: readonly MeasuredRate[]): void {
  const existing = existsSync(path) ? readMeasuredRates(path).rows : [];
  const before = existing.filter((old) => !rows.some((r) => sameKey(old, r)));
  const table = parseMeasuredRates({ rows: [...before, ...rows] });
  writeFileSync(path, JSON.stringify(table, null, 2) + '\n');
}

/** A table of one rate for every type and size: what `--images-per-second` stands for. */
export function constantRate(recordsPerSecond: number, source: string): MeasuredRateTable {
  return parseMeasuredRates({
    rows: [{ objectBytes: 1, recordsPerObject: 1, recordsPerSecond, source }],
  });
}

/**
 * Interpolation between the points around `x` on log-log axes (a power law between two
 * measurements), clamped to the end points: rates follow object size and records per object
 * over decades, not linearly.
 */
function interpolateLog<T>(
  points: readonly T[],
  x: number,
  xOf: (p: T) => number,
  yOf: (p: T) => number,
): number {
  const sorted = [...points].sort((a, b) => xOf(a) - xOf(b));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (x <= xOf(first)) return yOf(first);
  if (x >= xOf(last)) return yOf(last);
  const upper = sorted.findIndex((p) => xOf(p) >= x);
  const lo = sorted[upper - 1];
  const hi = sorted[upper];
  const t = (Math.log(x) - Math.log(xOf(lo))) / (Math.log(xOf(hi)) - Math.log(xOf(lo)));
  return Math.exp(Math.log(yOf(lo)) + t * (Math.log(yOf(hi)) - Math.log(yOf(lo))));
}

/** The rows that speak for one instance type: its own when measured, else the generic ones. */
export function rowsFor(table: MeasuredRateTable, type: GpuInstanceType): readonly MeasuredRate[] {
  const own = table.rows.filter((r) => r.instanceType === type);
  const rows = own.length > 0 ? own : table.rows.filter((r) => r.instanceType === undefined);
  if (rows.length === 0) {
    throw new MeasuredRatesError(`rows: no rate measured for ${type} and no row for every type`);
  }
  return rows;
}

/**
 * Records per second one instance of `type` scores for objects of `objectBytes` holding
 * `recordsPerObject` records: interpolated over records per object between the measured
 * groups, each group interpolated over object size; clamped outside what was measured.
 */
export function recordsPerSecond(
  table: MeasuredRateTable,
  type: GpuInstanceType,
  objectBytes: number,
  recordsPerObject: number,
): number {
  const rows = rowsFor(table, type);
  const groups = [...new Set(rows.map((r) => r.recordsPerObject))].map((perObject) => ({
    perObject,
    rate: interpolateLog(
      rows.filter((r) => r.recordsPerObject === perObject),
      objectBytes,
      (r) => r.objectBytes,
      (r) => r.recordsPerSecond,
    ),
  }));
  return interpolateLog(
    groups,
    recordsPerObject,
    (g) => g.perObject,
    (g) => g.rate,
  );
}
