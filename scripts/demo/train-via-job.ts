import {
  BatchClient,
  DescribeJobDefinitionsCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ModelMetadata } from '../../lib/contracts/registry';
import { WORKER_ENV } from '../../lib/contracts/job-contract';
import { ModelRegistry } from '../../container/src/registry/model-registry';
import { trainingConfigKey } from '../../container/src/train/run-training';
import { defaultTrainingPrefix } from '../../container/src/train/train-command';
import { digitRange, uploadDigits } from '../../test/helpers/train-digits';
import type { PipelineStack } from '../cli/stack-outputs';
import type { LocalBatchExecutor } from '../local/executor/local-batch-executor';
import type { JobRecord } from '../local/executor/executor-state';

export interface TrainingRun {
  readonly job: JobRecord;
  readonly trainingImages: number;
  readonly trainingPrefix: string;
  readonly champion?: ModelMetadata;
}

/** The training prefix the deployed train job reads (its TRAINING_PREFIX variable). */
async function trainingPrefixOf(batch: BatchClient, stack: PipelineStack): Promise<string> {
  const { jobDefinitions = [] } = await batch.send(
    new DescribeJobDefinitionsCommand({ jobDefinitions: [stack.trainJobDefinition] }),
  );
  const configured = jobDefinitions[0]?.containerProperties?.environment?.find(
    (pair) => pair.name === WORKER_ENV.trainingPrefix,
  )?.value;
  return configured || defaultTrainingPrefix(stack.modelName);
}

/**
 * Trains the default digits model through the retrain job path: labelled MNIST digits and the
 * model's training-config.json into the model bucket, then the train job definition submitted
 * to the job queue as the EventBridge schedule submits it, run by the local executor.
 */
export async function trainViaJob(
  stack: PipelineStack,
  executor: LocalBatchExecutor,
  size: { readonly trainPerDigit: number; readonly epochs: number },
  s3: S3Client,
  batch: BatchClient,
  deadline: number,
): Promise<TrainingRun> {
  const trainingPrefix = await trainingPrefixOf(batch, stack);
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.modelBucket,
      Key: trainingConfigKey(stack.modelName),
      Body: JSON.stringify({ architecture: 'digits-cnn', epochs: size.epochs }),
    }),
  );
  const keys = await uploadDigits(
    s3,
    stack.modelBucket,
    trainingPrefix,
    digitRange(0, size.trainPerDigit),
  );
  const { jobId } = await batch.send(
    new SubmitJobCommand({
      jobName: 'scheduled-retrain',
      jobQueue: stack.jobQueue,
      jobDefinition: stack.trainJobDefinition,
    }),
  );
  await executor.poll();
  const job = await executor.waitForJob(jobId!, deadline);
  const champion = await new ModelRegistry(
    s3,
    stack.modelBucket,
    stack.modelName,
  ).championMetadata();
  return { job, trainingImages: keys.length, trainingPrefix, champion };
}
