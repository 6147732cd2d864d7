import { parseCommandArgs, requiredOption } from '../../../scripts/cli/command';
import { UsageError } from '../../../scripts/cli/errors';

test('options and positionals are parsed', () => {
  // When a command gets an option and a positional
  const parsed = parseCommandArgs(
    'models',
    ['promote', 'v1', '--model', 'm'],
    { model: { type: 'string' } },
    2,
  );
  // Then both are there and no help was asked
  expect(parsed.positionals).toEqual(['promote', 'v1']);
  expect(parsed.values.model).toBe('m');
  expect(parsed.help).toBe(false);
});

test('an unknown option is a usage error naming the command', () => {
  expect(() => parseCommandArgs('status', ['--nope'], {})).toThrow(UsageError);
  expect(() => parseCommandArgs('status', ['--nope'], {})).toThrow(/^status: .*--nope/);
});

test('an extra positional is a usage error naming it', () => {
  expect(() => parseCommandArgs('retrain', ['now'], {})).toThrow(
    "retrain: unexpected argument 'now'",
  );
});

test('--help is recognised on every command', () => {
  expect(parseCommandArgs('submit', ['--help'], {}).help).toBe(true);
});

test('a missing required option names it and what it is for', () => {
  // Given no --batch
  const parsed = parseCommandArgs('results', [], { batch: { type: 'string' } });
  // Then the error says which and why
  expect(() => requiredOption(parsed, 'results', 'batch', 'a batch id')).toThrow(
    'results: --batch is required (a batch id)',
  );
});
