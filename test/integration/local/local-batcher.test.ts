import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { LocalBatcher } from '../../../scripts/local/batcher/local-batcher';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

let deployed: DeployedTestStack;

describeOnEmulator(STACK_SERVICES, 'the local batcher on the deployed stack', () => {
  beforeAll(async () => {
    deployed = await deployTestStack();
  });

  afterAll(() => {
    rmSync(deployed.directory, { recursive: true, force: true });
  });

  /** Messages received but not yet deleted: a delivery left in flight. */
  async function messagesInFlight(queueUrl: string): Promise<number> {
    const { Attributes = {} } = await sqsClient().send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  }

  test('the local batcher delivers an upload while its log hook writes to stdout, as `gbi local up` does', async () => {
    // Given the deployed stack, and the local batcher with the daemon's log hook: each line the
    // function logs is written to this process's stdout (here captured, as the daemon's log file)
    const logFile = join(deployed.directory, 'logs', 'batcher.log');
    const batcher = await LocalBatcher.create({
      functionName: deployed.stack.batcherFunction,
      queueUrl: deployed.stack.ingestQueueUrl,
      logFile,
      onLogLine: (line) => process.stdout.write(`daemon: ${line}\n`),
    });
    const key = `${deployed.stack.inputPrefix}local-${Date.now()}.png`;
    await s3Client().send(
      new PutObjectCommand({ Bucket: deployed.stack.inputBucket, Key: key, Body: 'x' }),
    );

    // When it polls the queue once
    const daemonOutput: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      daemonOutput.push(chunk.toString());
      return true;
    }) as typeof process.stdout.write;
    let delivered: number;
    try {
      delivered = await batcher.pollOnce();
    } finally {
      process.stdout.write = write;
    }

    // Then the delivery is handled and deleted, the function's lines are in its log file once
    // each and reach the daemon's output once each, the object buffered
    expect(delivered).toBe(1);
    expect(batcher.invocations).toEqual([{ trigger: 'sqs', messages: 1, failed: 0 }]);
    expect(await messagesInFlight(deployed.stack.ingestQueueUrl)).toBe(0);
    const logged = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    expect(logged.map((line) => JSON.parse(line) as object)).toContainEqual(
      expect.objectContaining({ ItemsBuffered: 1 }),
    );
    expect(daemonOutput).toEqual(logged.map((line) => `daemon: ${line}\n`));
  });
});
