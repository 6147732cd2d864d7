export class CliArgumentError extends Error {
  override readonly name = 'CliArgumentError';
}

export interface ParsedArgs {
  readonly numbers: ReadonlyMap<string, number>;
  readonly strings: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
}

/**
 * Parses `--name value` and bare `--flag` arguments against the names a command accepts;
 * an unknown name or a non-numeric value for a numeric option is an error naming it.
 */
export function parseArgs(
  argv: readonly string[],
  accepted: {
    readonly numbers?: readonly string[];
    readonly strings?: readonly string[];
    readonly flags?: readonly string[];
  },
): ParsedArgs {
  const numbers = new Map<string, number>();
  const strings = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split('=', 2) : [undefined];
    if (name === undefined) throw new CliArgumentError(`unexpected argument '${arg}'`);
    if (accepted.flags?.includes(name)) {
      flags.add(name);
      continue;
    }
    const isNumber = accepted.numbers?.includes(name) ?? false;
    if (!isNumber && !(accepted.strings?.includes(name) ?? false)) {
      throw new CliArgumentError(`--${name}: unknown option`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new CliArgumentError(`--${name}: expected a value`);
    if (isNumber) {
      const parsed = Number(value.replace(/_/g, ''));
      if (value.trim() === '' || !Number.isFinite(parsed)) {
        throw new CliArgumentError(`--${name}: expected a number, got '${value}'`);
      }
      numbers.set(name, parsed);
    } else {
      strings.set(name, value);
    }
  }
  return { numbers, strings, flags };
}

/**
 * A benchmark's command as the docs cite it: `npm run SCRIPT -- ARGS` with what was measured,
 * without the options that only say where its output went (--write, --docs-dir, --json,
 * --from-json).
 */
export function citedCommand(npmScript: string, argv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [name] = argv[i].split('=', 1);
    if (name === '--write') continue;
    if (name === '--docs-dir' || name === '--json' || name === '--from-json') {
      if (!argv[i].includes('=')) i++;
      continue;
    }
    kept.push(argv[i]);
  }
  return [`npm run ${npmScript}`, ...(kept.length > 0 ? ['--', ...kept] : [])].join(' ');
}
