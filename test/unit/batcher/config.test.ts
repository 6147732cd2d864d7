import { BATCHER_ENV } from '../../../lib/contracts/batcher-env';
import { DEFAULT_CONFIG } from '../../../lib/config/pipeline-config';
import { DEFAULT_SHARD_SIZE, DEFAULT_THRESHOLDS, loadConfig } from '../../../lambda/batcher/config';
import { BatcherConfigError } from '../../../lambda/batcher/errors';

const required = {
  [BATCHER_ENV.bufferTable]: 'buffer',
  [BATCHER_ENV.resultsBucket]: 'results',
  [BATCHER_ENV.jobQueue]: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
  [BATCHER_ENV.inferJobDefinition]: 'arn:aws:batch:us-east-1:123456789012:job-definition/infer:1',
  [BATCHER_ENV.modelName]: 'digits',
  [BATCHER_ENV.inputBucket]: 'input',
};

describe('loadConfig', () => {
  it('applies the stack defaults when only the required variables are set', () => {
    // given only the required variables
    // when the config is loaded
    const config = loadConfig(required);

    // then thresholds and shard size equal the stack's defaults
    expect(config.thresholds).toEqual({
      maxFiles: DEFAULT_CONFIG.maxBatchFiles,
      maxBytes: DEFAULT_CONFIG.maxBatchBytes,
      maxWaitMs: DEFAULT_CONFIG.maxBatchWaitSeconds * 1000,
    });
    expect(DEFAULT_THRESHOLDS).toEqual(config.thresholds);
    expect(config.shardSize).toBe(DEFAULT_CONFIG.shardSize);
    expect(DEFAULT_SHARD_SIZE).toBe(DEFAULT_CONFIG.shardSize);
  });

  it('reads thresholds, suffixes and a pinned model version from the environment', () => {
    // given every optional variable set
    const env = {
      ...required,
      [BATCHER_ENV.modelVersion]: '7',
      [BATCHER_ENV.inputPrefix]: 'in/',
      [BATCHER_ENV.inputSuffixes]: '.png, .jpg ,',
      [BATCHER_ENV.maxBatchFiles]: '500',
      [BATCHER_ENV.maxBatchBytes]: '1048576',
      [BATCHER_ENV.maxBatchWaitSeconds]: '120',
      [BATCHER_ENV.shardSize]: '100',
    };

    // when the config is loaded
    const config = loadConfig(env);

    // then each value is taken, suffixes trimmed and empty ones dropped
    expect(config).toMatchObject({
      model: { name: 'digits', version: '7' },
      inputPrefix: 'in/',
      inputSuffixes: ['.png', '.jpg'],
      thresholds: { maxFiles: 500, maxBytes: 1048576, maxWaitMs: 120_000 },
      shardSize: 100,
    });
  });

  it('names every missing or malformed variable in one error', () => {
    // given no table, and a non-numeric max files
    const env = { ...required, [BATCHER_ENV.bufferTable]: '', [BATCHER_ENV.maxBatchFiles]: 'lots' };

    // when the config is loaded
    // then one BatcherConfigError names both
    expect(() => loadConfig(env)).toThrow(BatcherConfigError);
    expect(() => loadConfig(env)).toThrow(
      "MAX_BATCH_FILES: expected a positive integer, got 'lots'; BUFFER_TABLE_NAME: required, got nothing",
    );
  });

  it('rejects a shard size that would need more than 10,000 array children', () => {
    // given 20,001 files per batch in shards of 2
    const env = { ...required, [BATCHER_ENV.maxBatchFiles]: '20001', [BATCHER_ENV.shardSize]: '2' };

    // when the config is loaded
    // then the error names SHARD_SIZE
    expect(() => loadConfig(env)).toThrow(
      /SHARD_SIZE: 20001 files in shards of 2 exceed the 10000 children/,
    );
  });
});
