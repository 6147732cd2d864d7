import { ConfigError } from '../../../lib/config/config-error';
import { DEFAULT_CONFIG } from '../../../lib/config/pipeline-config';
import { resolveConfig } from '../../../lib/config/validate-config';

function problemsOf(input: unknown): readonly string[] {
  try {
    resolveConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('resolveConfig', () => {
  it('returns the defaults when nothing is configured', () => {
    // given no pipeline context / when resolved / then every default applies
    expect(resolveConfig(undefined)).toEqual(DEFAULT_CONFIG);
  });

  it('merges user values over the defaults', () => {
    // given one overridden knob
    const config = resolveConfig({ maxBatchFiles: 500, shardSize: 100 });

    // then it wins and the rest keep their defaults
    expect(config.maxBatchFiles).toBe(500);
    expect(config.shardSize).toBe(100);
    expect(config.instanceTypes).toEqual(DEFAULT_CONFIG.instanceTypes);
  });

  it('accepts the configuration as a JSON string, as `cdk -c pipeline=...` passes it', () => {
    expect(resolveConfig('{"modelName":"resnet"}').modelName).toBe('resnet');
  });

  it('names an unknown setting and lists the allowed ones', () => {
    // given a typo
    const problems = problemsOf({ maxBatchFile: 10 });

    // then the message names the bad key and the allowed keys
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^maxBatchFile: unknown setting; allowed settings are .*maxBatchFiles/,
    );
  });

  it('names a non-GPU instance type and the allowed values', () => {
    const problems = problemsOf({ instanceTypes: ['m5.large'] });

    expect(problems).toEqual([
      expect.stringMatching(
        /^instanceTypes: each entry must be a GPU instance type .* g4dn\.xlarge/,
      ),
    ]);
  });

  it('collects every bad field in one error instead of stopping at the first', () => {
    // given three bad fields
    const problems = problemsOf({
      batcherMaxConcurrency: 1,
      jobAttempts: 11,
      retrainSchedule: 'weekly',
    });

    // then all three are reported together, each with its allowed range
    expect(problems).toEqual([
      'batcherMaxConcurrency: must be an integer from 2 to 1000, got 1',
      'jobAttempts: must be an integer from 1 to 10, got 11',
      `retrainSchedule: must be 'off', 'cron(...)' or 'rate(...)', got "weekly"`,
    ]);
  });

  it('rejects job sizes that no compute environment could ever place', () => {
    expect(problemsOf({ maxVcpus: 2, inferVcpus: 4, trainVcpus: 2 })).toEqual([
      'inferVcpus: 4 exceeds maxVcpus 2, so no job could run',
    ]);
  });

  it('rejects an input prefix with a leading slash, which S3 keys never have', () => {
    expect(problemsOf({ inputPrefix: '/incoming/' })).toEqual([
      expect.stringMatching(/^inputPrefix: must be empty or a key prefix ending in '\/'/),
    ]);
  });

  it('reports invalid JSON as a configuration error', () => {
    expect(problemsOf('{not json')).toEqual([expect.stringMatching(/^pipeline: not valid JSON/)]);
  });
});
