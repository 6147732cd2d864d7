import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobsCommand,
  JobDetail,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BUFFER_CLAIMS_BY_KEY_INDEX } from '../../lib/contracts/batcher-env';
import { INFER_COMMAND } from '../../lib/contracts/job-contract';
import { RESULTS_PREFIXES } from '../../lib/contracts/keys';
import { BatchManifest, validateManifest } from '../../lib/contracts/manifest';
import { uniqueName } from './emulator-resources';

/** The buffer table exactly as the stack creates it: pk/sk strings, on demand, the claims index. */
export async function createBufferTable(
  dynamo: DynamoDBClient,
  name = uniqueName('buffer'),
): Promise<string> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'objectKey', AttributeType: 'S' },
        { AttributeName: 'claimedAt', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BUFFER_CLAIMS_BY_KEY_INDEX,
          KeySchema: [
            { AttributeName: 'objectKey', KeyType: 'HASH' },
            { AttributeName: 'claimedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['batchId', 'object'] },
        },
      ],
    }),
  );
  return name;
}

/** moto refuses a compute environment whose service role it does not know. */
async function createServiceRole(name: string): Promise<string> {
  const { Role } = await new IAMClient({}).send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'batch.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  return Role!.Arn!;
}

export interface BatchResources {
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
}

/** An unmanaged compute environment, a job queue and the infer job definition. */
export async function createBatchResources(batch: BatchClient): Promise<BatchResources> {
  const name = uniqueName('gbi');
  const serviceRole = await createServiceRole(`${name}-batch-service`);
  const { computeEnvironmentArn } = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `${name}-ce`,
      type: 'UNMANAGED',
      state: 'ENABLED',
      serviceRole,
    }),
  );
  const { jobQueueArn } = await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: `${name}-queue`,
      priority: 1,
      state: 'ENABLED',
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: computeEnvironmentArn! }],
    }),
  );
  const { jobDefinitionArn } = await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: `${name}-infer`,
      type: 'container',
      containerProperties: {
        image: 'gbi-worker:test',
        command: [...INFER_COMMAND],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '512' },
        ],
      },
    }),
  );
  return { jobQueueArn: jobQueueArn!, jobDefinitionArn: jobDefinitionArn! };
}

/** Every job in the queue whose name is `jobName`, described (array size, parameters). */
export async function jobsNamed(
  batch: BatchClient,
  jobQueue: string,
  jobName: string,
): Promise<JobDetail[]> {
  const { jobSummaryList = [] } = await batch.send(
    new ListJobsCommand({ jobQueue, filters: [{ name: 'JOB_NAME', values: [jobName] }] }),
  );
  // moto lists array children (id `<parent>:<index>`) under the parent's name too; AWS does not.
  const ids = jobSummaryList
    .filter((job) => job.jobName === jobName && !job.jobId!.includes(':'))
    .map((job) => job.jobId!);
  if (ids.length === 0) return [];
  const { jobs = [] } = await batch.send(new DescribeJobsCommand({ jobs: ids }));
  return jobs;
}

/** Every manifest written to the results bucket, parsed and validated. */
export async function readManifests(s3: S3Client, bucket: string): Promise<BatchManifest[]> {
  const { Contents = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: RESULTS_PREFIXES.manifests }),
  );
  return Promise.all(
    Contents.map(async ({ Key }) => {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return validateManifest(JSON.parse(await Body!.transformToString()));
    }),
  );
}
