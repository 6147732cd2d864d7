import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { resultKeys } from '../../../lib/contracts/keys';
import { LocalFinisher } from '../../../scripts/local/finisher/local-finisher';
import { join } from 'node:path';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createQueue, receiveUntil } from '../../helpers/emulator-resources';
import { jobEndEvent, manifestOf, shardSummaryOf } from '../../helpers/finisher-fixtures';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

let deployed: DeployedTestStack;
let finisher: LocalFinisher;

describeOnEmulator(STACK_SERVICES, 'the finisher with a completion email', () => {
  beforeAll(async () => {
    deployed = await deployTestStack({ completionEmail: 'team@example.com' });
    finisher = await LocalFinisher.create({
      functionName: deployed.stack.finisherFunction,
      ruleName: deployed.stack.finisherRule,
      queueName: `finisher-mailbox-${deployed.stack.stackName.split('-').pop()}`,
      logFile: join(deployed.directory, 'logs', 'finisher.log'),
    });
  });

  afterAll(async () => {
    await finisher?.stop();
  });

  it("publishes the batch's short text to the completion topic", async () => {
    // given the deployed topic, with a queue subscribed beside the email (the emulator sends no mail)
    const { Environment } = await new LambdaClient({}).send(
      new GetFunctionConfigurationCommand({ FunctionName: deployed.stack.finisherFunction }),
    );
    const topicArn = Environment?.Variables?.COMPLETION_TOPIC_ARN;
    expect(topicArn).toMatch(/^arn:aws:sns:/);
    const queue = await createQueue(sqsClient());
    await new SNSClient({}).send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    // and a finished batch of one shard
    const batchId = '20261202T100000Z-e1e2e3e4e5';
    const put = (key: string, body: unknown) =>
      s3Client().send(
        new PutObjectCommand({
          Bucket: deployed.stack.resultsBucket,
          Key: key,
          Body: JSON.stringify(body),
        }),
      );
    await put(resultKeys.manifest(batchId), manifestOf(batchId, 3, 3));
    await put(resultKeys.summary(batchId, 0), shardSummaryOf(batchId, 0, { ok: 3 }));

    // when its job's end is delivered
    await finisher.publish(
      jobEndEvent(
        batchId,
        {
          jobQueue: deployed.stack.jobQueue,
          jobDefinition: deployed.stack.inferJobDefinition,
          array: undefined,
        },
        deployed.stack.resultsBucket,
      ),
    );
    for (let i = 0; i < 20 && finisher.results.length === 0; i++) await finisher.deliverOnce(1);

    // then the function says it notified, and the topic carried the subject and text
    expect(finisher.results).toEqual([expect.objectContaining({ batchId, notified: true })]);
    const [message] = await receiveUntil(sqsClient(), queue.url, (m) => m.length > 0);
    const body = JSON.parse(message.Body!) as { Subject: string; Message: string };
    expect(body.Subject).toBe(`Batch ${batchId} SUCCEEDED: 3 scored, 0 failed`);
    expect(body.Message).toContain('3 files in 1 shards: 1 finished, 0 failed.');
  });
});
