import { citedCommand, CliArgumentError, parseArgs } from '../../../scripts/shared/cli-args';

describe('parseArgs', () => {
  it('reads numbers, strings and flags in both --name value and --name=value forms', () => {
    // given every kind of argument
    // when parsed
    const args = parseArgs(['--rate', '1_000', '--size=small', '--write'], {
      numbers: ['rate'],
      strings: ['size'],
      flags: ['write'],
    });
    // then each lands in its map
    expect(args.numbers.get('rate')).toBe(1000);
    expect(args.strings.get('size')).toBe('small');
    expect(args.flags.has('write')).toBe(true);
  });

  it('rejects an unknown option naming it', () => {
    // given an option the command does not take
    // when parsed
    // then the error names it
    expect(() => parseArgs(['--nope', '1'], { numbers: ['rate'] })).toThrow(
      /--nope: unknown option/,
    );
  });

  it('rejects a non-numeric value for a numeric option naming the option', () => {
    // given a word where a number belongs
    // when parsed
    // then the error names the option and the value
    expect(() => parseArgs(['--rate', 'fast'], { numbers: ['rate'] })).toThrow(CliArgumentError);
    expect(() => parseArgs(['--rate', 'fast'], { numbers: ['rate'] })).toThrow(/--rate.*'fast'/);
  });
});

describe('citedCommand', () => {
  it('keeps what was measured and drops where the output went', () => {
    // given a benchmark's arguments with output options in both spellings
    const argv = [
      '--rounds',
      '3',
      '--write',
      '--docs-dir',
      '/tmp/d',
      '--json=/tmp/j',
      '--images=8',
    ];

    // when cited, then only the measured options remain, after npm's separator
    expect(citedCommand('bench:real', argv)).toBe('npm run bench:real -- --rounds 3 --images=8');
    expect(citedCommand('bench:latency', ['--write'])).toBe('npm run bench:latency');
  });
});
