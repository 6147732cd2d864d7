import { STACK_NAME } from '../../lib/app/create-app';
import { LocalState, processAlive, readLocalState } from '../local/local-state';
import { CliContext, CliIo, Command } from './command';
import { findCommand } from './commands/find-command';
import { localCommand } from './commands/local-command';
import { modelsCommand } from './commands/models-command';
import { resultsCommand } from './commands/results-command';
import { retrainCommand } from './commands/retrain-command';
import { statusCommand } from './commands/status-command';
import { submitCommand } from './commands/submit-command';
import { MissingResourceError, UsageError } from './errors';
import { PipelineStack, readStackOutputs } from './stack-outputs';

export const COMMANDS: readonly Command[] = [
  localCommand,
  submitCommand,
  statusCommand,
  resultsCommand,
  findCommand,
  retrainCommand,
  modelsCommand,
];

const HELP = `usage: gbi <command> [options]     (npm run cli -- <command> ..., or npx gbi)

Operates the GPU batch inference pipeline: against the emulator when AWS_ENDPOINT_URL is set
(gbi local env prints it), else against AWS with your usual credentials and region.

commands
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

global options
  --stack NAME   CloudFormation stack name (default ${STACK_NAME}, or GBI_STACK)
  -h, --help     help; gbi <command> --help for a command's own`;

/** The local runtime's record applies only when the CLI talks to that runtime's emulator. */
function localRuntimeFor(endpoint: string | undefined): LocalState | undefined {
  const state = readLocalState();
  if (!endpoint || !state || state.endpoint !== endpoint || !processAlive(state.pid))
    return undefined;
  return state;
}

/** Pulls `--stack NAME` out of the arguments, wherever it stands. */
function takeStackOption(argv: string[]): { stackName?: string; rest: string[] } {
  const rest = [...argv];
  const index = rest.findIndex((arg) => arg === '--stack' || arg.startsWith('--stack='));
  if (index < 0) return { rest };
  const [flag] = rest.splice(index, 1);
  const value = flag.includes('=') ? flag.slice('--stack='.length) : rest.splice(index, 1)[0];
  if (!value || value.startsWith('-')) throw new UsageError('--stack: expected a stack name');
  return { stackName: value, rest };
}

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { stackName, rest } = takeStackOption([...argv]);
    const [name, ...args] = rest;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(HELP);
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(
        `unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      );
    }
    let stack: Promise<PipelineStack> | undefined;
    const resolvedName = stackName ?? process.env.GBI_STACK ?? STACK_NAME;
    const context: CliContext = {
      io,
      stackName: resolvedName,
      stack: () => (stack ??= readStackOutputs(resolvedName)),
      local: localRuntimeFor(process.env.AWS_ENDPOINT_URL),
    };
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gbi: ${error.message}\nsee gbi --help`);
      return 2;
    }
    if (error instanceof MissingResourceError) {
      io.err(`gbi: ${error.message}`);
      return 1;
    }
    io.err(`gbi: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
}
