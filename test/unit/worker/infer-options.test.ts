import { UsageError } from '../../../container/src/infer/errors';
import { INFER_DEFAULTS, parseInferOptions } from '../../../container/src/infer/infer-options';

const env = { MODEL_BUCKET: 'models', RESULTS_BUCKET: 'results' };
const manifest = ['--manifest', 's3://results/manifests/b1/manifest.json'];

describe('parseInferOptions', () => {
  it('takes the shard from AWS_BATCH_JOB_ARRAY_INDEX in an array job child', () => {
    // given the index Batch sets
    // when / then
    expect(parseInferOptions(manifest, { ...env, AWS_BATCH_JOB_ARRAY_INDEX: '7' }).shard).toBe(7);
  });

  it('uses shard 0 for a plain job without array index', () => {
    // given / when / then
    expect(parseInferOptions(manifest, env).shard).toBe(0);
  });

  it('gives every tunable its INFER_DEFAULTS value when neither flag nor environment sets it', () => {
    // given only the required manifest and buckets
    // when
    const options = parseInferOptions(manifest, env);

    // then the benchmarks, which spread INFER_DEFAULTS, run the worker as a job would
    expect(options).toMatchObject(INFER_DEFAULTS);
    expect(INFER_DEFAULTS).toMatchObject({ batchSize: 128, concurrency: 128, topK: 3 });
  });

  it('lets --shard override the array index', () => {
    // given both
    // when / then
    expect(
      parseInferOptions([...manifest, '--shard', '2'], { ...env, AWS_BATCH_JOB_ARRAY_INDEX: '7' })
        .shard,
    ).toBe(2);
  });

  it('reads tunables from flags, --flag=value included, over environment variables', () => {
    // given a batch size in both and a top-k inline
    const options = parseInferOptions([...manifest, '--batch-size', '256', '--top-k=5'], {
      ...env,
      WORKER_BATCH_SIZE: '8',
      WORKER_MAX_ERROR_FRACTION: '0.25',
    });
    // when / then
    expect([options.batchSize, options.topK, options.maxErrorFraction]).toEqual([256, 5, 0.25]);
  });

  it("says whether the job set top-k, so that otherwise the model's default top-k applies", () => {
    // given a job without top-k, one with --top-k and one with WORKER_TOP_K
    const unset = parseInferOptions(manifest, env);
    const fromFlag = parseInferOptions([...manifest, '--top-k', '3'], env);
    const fromEnv = parseInferOptions(manifest, { ...env, WORKER_TOP_K: '4' });
    // when / then only the last two count as set by the job
    expect([unset.topKFromJob, fromFlag.topKFromJob, fromEnv.topKFromJob]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('defaults the results bucket to the manifest bucket', () => {
    // given no RESULTS_BUCKET
    // when / then
    expect(parseInferOptions(manifest, { MODEL_BUCKET: 'models' }).resultsBucket).toBe('results');
  });

  it('names every bad input in one UsageError', () => {
    // given no manifest, a bad batch size, an unknown flag and no model bucket
    // when
    const parse = () => parseInferOptions(['--batch-size', '0', '--fast'], {});
    // then
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(
      "infer: unknown argument '--fast'; --manifest: required (s3:// URL of the batch manifest); MODEL_BUCKET: required (bucket of the model registry); --batch-size: expected an integer >= 1, got '0'",
    );
  });

  it('rejects an error budget outside 0..1 naming the environment variable', () => {
    // given / when / then
    expect(() => parseInferOptions(manifest, { ...env, WORKER_MAX_ERROR_FRACTION: '1.5' })).toThrow(
      "WORKER_MAX_ERROR_FRACTION: expected a number in 0..1, got '1.5'",
    );
  });

  it('rejects a manifest that is not an s3:// URL', () => {
    // given / when / then
    expect(() => parseInferOptions(['--manifest', '/tmp/m.json'], env)).toThrow(
      /--manifest: not an s3:\/\/ URL/,
    );
  });
});
