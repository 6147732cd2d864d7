import { parseArgs, ParseArgsConfig } from 'node:util';
import type { LocalState } from '../local/local-state';
import { UsageError } from './errors';
import type { PipelineStack } from './stack-outputs';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  readonly io: CliIo;
  readonly stackName: string;
  /** The deployed stack's outputs, read on first use. */
  stack(): Promise<PipelineStack>;
  /** The runtime `gbi local up` started, when the CLI talks to it. */
  readonly local?: LocalState;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full help: usage line, options and examples. */
  readonly help: string;
  run(args: string[], context: CliContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  /** True when --help was given: print the command's help and stop. */
  readonly help: boolean;
}

/**
 * node:util parseArgs with --help on every command, and its errors (unknown option, missing
 * value) turned into a UsageError naming the command.
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: Options,
  maxPositionals = 0,
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (!values.help && positionals.length > maxPositionals) {
      throw new UsageError(`${command}: unexpected argument '${positionals[maxPositionals]}'`);
    }
    return {
      values: values as Record<string, string | boolean | undefined>,
      positionals,
      help: values.help === true,
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

/** A required string option, or a UsageError naming it. */
export function requiredOption(
  parsed: ParsedArgs,
  command: string,
  name: string,
  what: string,
): string {
  const value = parsed.values[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new UsageError(`${command}: --${name} is required (${what})`);
  }
  return value;
}
