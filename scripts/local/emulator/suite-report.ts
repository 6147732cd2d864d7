/**
 * The integration suite's outcome per test file on one emulator, read from jest's --json
 * output: passed, failed and skipped tests, and why a file was skipped. Pure.
 */
import { AwsService, EmulatorCapabilities, emulatorLabel } from './emulator-capabilities';

const SKIP_MARK = ' [skipped: ';

/** The title a suite gets when it is skipped; `skipReasonOf` reads the reason back. */
export function skippedTitle(
  title: string,
  capabilities: EmulatorCapabilities,
  missing: readonly AwsService[],
): string {
  return `${title}${SKIP_MARK}${emulatorLabel(capabilities)} lacks ${missing.join(', ')}]`;
}

export function skipReasonOf(title: string): string | undefined {
  const at = title.lastIndexOf(SKIP_MARK);
  if (at < 0 || !title.endsWith(']')) return undefined;
  return title.slice(at + SKIP_MARK.length, -1);
}

/** The part of jest's --json output read here. */
export interface JestJson {
  readonly testResults: readonly {
    readonly name: string;
    readonly message?: string;
    readonly assertionResults: readonly {
      readonly ancestorTitles: readonly string[];
      readonly status: string;
    }[];
  }[];
}

export interface SuiteRow {
  /** The test file, relative to `root`. */
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Why its tests were skipped (the missing services), when they were. */
  readonly reason?: string;
  /** A file that failed to run at all (syntax error, failing hook outside tests). */
  readonly error?: string;
}

export function suiteRows(results: JestJson, root: string): SuiteRow[] {
  return results.testResults
    .map((suite) => {
      const tests = suite.assertionResults;
      const count = (...statuses: string[]) =>
        tests.filter((test) => statuses.includes(test.status)).length;
      const reasons = [
        ...new Set(
          tests.flatMap((test) =>
            test.ancestorTitles.map(skipReasonOf).filter((r): r is string => r !== undefined),
          ),
        ),
      ];
      const file = suite.name.startsWith(`${root}/`)
        ? suite.name.slice(root.length + 1)
        : suite.name;
      return {
        file,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('pending', 'skipped', 'todo', 'disabled'),
        ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
        ...(tests.length === 0 && suite.message ? { error: suite.message.split('\n')[0] } : {}),
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export interface SuiteTotals {
  readonly files: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Skipped tests whose suite gave no reason: the run must not count as a pass. */
  readonly skippedWithoutReason: number;
  readonly filesWithErrors: number;
}

export function suiteTotals(rows: readonly SuiteRow[]): SuiteTotals {
  const sum = (pick: (row: SuiteRow) => number) => rows.reduce((n, row) => n + pick(row), 0);
  return {
    files: rows.length,
    passed: sum((row) => row.passed),
    failed: sum((row) => row.failed),
    skipped: sum((row) => row.skipped),
    skippedWithoutReason: sum((row) => (row.reason ? 0 : row.skipped)),
    filesWithErrors: rows.filter((row) => row.error).length,
  };
}

/** A markdown table of the rows and a totals line, as docs/localstack.md shows them. */
export function suiteTable(rows: readonly SuiteRow[]): string {
  const totals = suiteTotals(rows);
  const lines = [
    '| Test file | Passed | Failed | Skipped | Why skipped |',
    '| --------- | ------ | ------ | ------- | ----------- |',
    ...rows.map(
      (row) =>
        `| \`${row.file}\` | ${row.passed} | ${row.failed} | ${row.skipped} | ${row.reason ?? row.error ?? ''} |`,
    ),
    '',
    `${totals.files} files: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
  ];
  return lines.join('\n');
}
