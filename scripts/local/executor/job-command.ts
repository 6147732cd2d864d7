import { WORKER_ENV } from '../../../lib/contracts/job-contract';
import { LocalJobError } from '../errors';

/** What the executor needs from a submitted Batch job (DescribeJobs), independent of the SDK. */
export interface SubmittedJob {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobDefinition: string;
  /** Job queue ARN. */
  readonly jobQueue?: string;
  /** Job definition defaults merged with the SubmitJob parameters. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Array size; undefined for a plain job. */
  readonly arraySize?: number;
  /** SubmitJob time (epoch ms), the order jobs run in. */
  readonly createdAt?: number;
}

/**
 * Fills `Ref::name` placeholders as AWS Batch does
 * (AWS Batch User Guide, "Job definition parameters", Parameters).
 * Batch leaves an unknown placeholder as it is; the worker would then read `Ref::x` as a value,
 * so locally that is an error naming the parameter.
 */
export function substituteParameters(
  command: readonly string[],
  parameters: Readonly<Record<string, string>>,
): string[] {
  return command.map((argument) => {
    const match = /^Ref::(.+)$/.exec(argument);
    if (!match) return argument;
    const value = parameters[match[1]];
    if (value === undefined) {
      throw new LocalJobError(
        `command: placeholder ${argument} has no parameter '${match[1]}' (job parameters: ${
          Object.keys(parameters).join(', ') || 'none'
        })`,
      );
    }
    return value;
  });
}

/** The child indexes the job runs: 0..size-1 for an array job, one plain run otherwise. */
export function childIndexes(job: Pick<SubmittedJob, 'arraySize'>): (number | undefined)[] {
  if (job.arraySize === undefined) return [undefined];
  return Array.from({ length: job.arraySize }, (_, index) => index);
}

/**
 * The environment AWS Batch gives one container: the job's own variables plus the Batch ones
 * (AWS Batch User Guide, "AWS Batch job environment variables"), over the local base.
 * One exception: the GPU job definitions pin TFJS_BACKEND=tfjs-node-gpu for the GPU image, while
 * locally the worker's source runs on a host without a GPU, so that pin is dropped and the worker
 * chooses tfjs-node (or wasm, saying why); a TFJS_BACKEND in the local base still applies.
 */
export function childEnvironment(
  job: Pick<SubmittedJob, 'jobId' | 'environment'>,
  index: number | undefined,
  base: Readonly<Record<string, string>>,
): Record<string, string> {
  const jobEnvironment = { ...job.environment };
  if (jobEnvironment[WORKER_ENV.backend] === 'tfjs-node-gpu')
    delete jobEnvironment[WORKER_ENV.backend];
  return {
    ...base,
    ...jobEnvironment,
    AWS_BATCH_JOB_ID: index === undefined ? job.jobId : `${job.jobId}:${index}`,
    AWS_BATCH_JOB_ATTEMPT: '1',
    ...(index === undefined ? {} : { AWS_BATCH_JOB_ARRAY_INDEX: String(index) }),
  };
}
