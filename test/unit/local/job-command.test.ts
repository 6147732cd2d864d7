import {
  childEnvironment,
  childIndexes,
  substituteParameters,
} from '../../../scripts/local/executor/job-command';

test('Ref:: placeholders are replaced by the job parameters', () => {
  // Given the infer command and a manifest parameter
  // When it is substituted
  const command = substituteParameters(['infer', '--manifest', 'Ref::manifest'], {
    manifest: 's3://b/m.json',
  });
  // Then the placeholder holds the value
  expect(command).toEqual(['infer', '--manifest', 's3://b/m.json']);
});

test('a placeholder without a parameter is an error naming it and the known parameters', () => {
  // When a placeholder has no parameter
  // Then the error names both
  expect(() => substituteParameters(['Ref::model'], { manifest: 'x' })).toThrow(
    "command: placeholder Ref::model has no parameter 'model' (job parameters: manifest)",
  );
});

test('an array job has one child per index and a plain job one run', () => {
  // Then array size 3 gives 0..2 and no size a single unindexed run
  expect(childIndexes({ arraySize: 3 })).toEqual([0, 1, 2]);
  expect(childIndexes({})).toEqual([undefined]);
});

test('an array child gets the Batch variables over the job environment', () => {
  // Given a job with its own environment and a base environment
  const env = childEnvironment(
    { jobId: 'j1', environment: { MODEL_BUCKET: 'm', AWS_REGION: 'job-region' } },
    2,
    { AWS_REGION: 'base-region', PATH: '/bin' },
  );
  // Then the job's variables win over the base and the child is identified as AWS Batch does
  expect(env).toEqual({
    AWS_REGION: 'job-region',
    PATH: '/bin',
    MODEL_BUCKET: 'm',
    AWS_BATCH_JOB_ID: 'j1:2',
    AWS_BATCH_JOB_ATTEMPT: '1',
    AWS_BATCH_JOB_ARRAY_INDEX: '2',
  });
});

test('a plain job has no array index variable', () => {
  // When a plain job's environment is built
  const env = childEnvironment({ jobId: 'j1', environment: {} }, undefined, {});
  // Then it has the job id alone
  expect(env.AWS_BATCH_JOB_ID).toBe('j1');
  expect(env.AWS_BATCH_JOB_ARRAY_INDEX).toBeUndefined();
});

test("a job definition's tfjs-node-gpu pin is dropped locally, where no GPU exists", () => {
  // Given a job pinned to the GPU backend, and one base environment choosing wasm
  const job = { jobId: 'j1', environment: { TFJS_BACKEND: 'tfjs-node-gpu', MODEL_BUCKET: 'm' } };

  // When their environments are built
  const auto = childEnvironment(job, undefined, {});
  const chosen = childEnvironment(job, undefined, { TFJS_BACKEND: 'wasm' });

  // Then the worker chooses itself, or takes the local choice, and the rest is kept
  expect(auto.TFJS_BACKEND).toBeUndefined();
  expect(chosen.TFJS_BACKEND).toBe('wasm');
  expect(auto.MODEL_BUCKET).toBe('m');
});
