import { DescribeJobDefinitionsCommand } from '@aws-sdk/client-batch';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { batchClient, s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { INFER_COMMAND } from '../../../lib/contracts/job-contract';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { receiveUntil } from '../../helpers/emulator-resources';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

let deployed: DeployedTestStack;

describeOnEmulator(STACK_SERVICES, 'the stack deployed from the synthesized template', () => {
  beforeAll(async () => {
    deployed = await deployTestStack();
  });

  test('the deployed stack has every output the operator tools read', () => {
    // Given the stack deployed from the synthesized template (beforeAll)
    // Then every output names a created resource
    expect(deployed.stack.jobQueue).toMatch(/^arn:aws:batch:.*:job-queue\//);
    expect(deployed.stack.inferJobDefinition).toMatch(/:job-definition\//);
    expect(deployed.stack.inputPrefix).toBe('incoming/');
  });

  test('an upload under the input prefix reaches the ingest queue through the applied bucket notification', async () => {
    // Given the deployed stack
    const key = `${deployed.stack.inputPrefix}probe-${Date.now()}.png`;
    // When a file is uploaded to the input bucket
    await s3Client().send(
      new PutObjectCommand({ Bucket: deployed.stack.inputBucket, Key: key, Body: 'x' }),
    );
    // Then its S3 event notification waits in the queue (moto's no-op mapping is disabled)
    const name = key.split('/').pop()!;
    const messages = await receiveUntil(sqsClient(), deployed.stack.ingestQueueUrl, (m) =>
      m.some((message) => message.Body?.includes(name)),
    );
    expect(messages.map((m) => m.Body).join()).toContain(name);
  });

  test('the infer job definition carries the command of the job contract', async () => {
    // Given the deployed stack
    // When its infer job definition is described
    const { jobDefinitions = [] } = await batchClient().send(
      new DescribeJobDefinitionsCommand({ jobDefinitions: [deployed.stack.inferJobDefinition] }),
    );
    // Then it runs the worker's infer command with the manifest parameter
    expect(jobDefinitions[0].containerProperties?.command).toEqual([...INFER_COMMAND]);
  });

  test('every replaced piece of the template is reported', () => {
    // Given the deployment report
    const changed = deployed.deployment.replacements.map((r) => r.type);
    // Then the custom resources and the Batch adjustments are listed, and the image is unpublished
    expect(changed).toEqual(
      expect.arrayContaining([
        'Custom::S3BucketNotifications',
        'AWS::Batch::ComputeEnvironment',
        'AWS::Events::Rule',
      ]),
    );
    expect(deployed.deployment.unpublishedImages.length).toBeGreaterThan(0);
  });

  test('creates every resource but the policy, alarm and query-catalog types moto does not implement, the network boundary included', () => {
    // Given the deployment report
    const skipped = [...new Set(deployed.deployment.notCreated.map((r) => r.type))].sort();
    // Then only the types docs/testing.md lists were skipped: the launch template, the security
    // group and the S3 endpoint with its policy were created as synthesized
    expect(skipped).toEqual([
      'AWS::Athena::WorkGroup',
      'AWS::CloudWatch::Alarm',
      'AWS::Glue::Database',
      'AWS::Glue::Table',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::S3::BucketPolicy',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::QueuePolicy',
    ]);
  });
});
