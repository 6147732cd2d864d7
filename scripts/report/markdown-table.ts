/** A GitHub-flavoured markdown table; numbers right-aligned. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === 'number'));
  const cell = (value: string | number) => String(value).replace(/\|/g, '\\|');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${numeric.map((right) => (right ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Fixed significant digits without exponent noise: 0.01234 -> "0.0123", 1234.5 -> "1235". */
export function sig(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(decimals);
}

/** Counts with thousands separators: 20000 -> "20,000", 40 -> "40", 16.7 -> "16.7". */
export function count(value: number): string {
  return Number.isInteger(value) || Math.abs(value) >= 100
    ? Math.round(value).toLocaleString('en-US')
    : sig(value, 3);
}

export const usd = (value: number) => `$${sig(value, 3)}`;

export const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Seconds as "42 s", "7.5 min" or "2.1 h". */
export function duration(seconds: number): string {
  if (seconds < 120) return `${sig(seconds, 2)} s`;
  if (seconds < 7200) return `${sig(seconds / 60, 2)} min`;
  return `${sig(seconds / 3600, 2)} h`;
}
