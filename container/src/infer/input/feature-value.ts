import { describeValue, quoteText } from './describe-value';

/** Largest finite float32: models take float32 inputs, and beyond it a value becomes Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A plain decimal number: no hexadecimal, binary or octal prefix, no separators, no words. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const OVERFLOW = 'a number too large for a 64-bit float (it overflows to Infinity)';
const OUTSIDE_FLOAT32 = `outside the float32 range of the model input (±${FLOAT32_MAX})`;

/**
 * What is wrong with `value` as one feature of a float32 model input, phrased to follow
 * "feature <name> is ", or undefined when it is fine. JSON.parse turns an overflowing literal
 * such as 1e999 into Infinity, which JSON.stringify would show as null.
 */
export function featureProblem(value: unknown): string | undefined {
  if (value === undefined) return 'missing';
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return `${describeValue(value)}, not a number`;
  }
  if (!Number.isFinite(value)) return OVERFLOW;
  if (Math.abs(value) > FLOAT32_MAX) return `${value}, ${OUTSIDE_FLOAT32}`;
  return undefined;
}

export type CellValue = { readonly value: number } | { readonly problem: string };

/**
 * A CSV cell as a feature, or what is wrong with it naming its text. Number() would also read
 * '0x10', '0b1', '0o7' and 'Infinity' and score them as numbers; a feature must be decimal.
 */
export function cellValue(cell: string): CellValue {
  const quoted = quoteText(cell, "'");
  if (!DECIMAL.test(cell)) return { problem: `${quoted} is not a decimal number` };
  const value = Number(cell);
  if (!Number.isFinite(value)) return { problem: `${quoted} is ${OVERFLOW}` };
  if (Math.abs(value) > FLOAT32_MAX) return { problem: `${quoted} is ${OUTSIDE_FLOAT32}` };
  return { value };
}
