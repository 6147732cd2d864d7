import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deployToEmulator } from '../../../scripts/local/deploy-to-emulator';
import {
  capabilitiesFromEnv,
  withoutServices,
} from '../../../scripts/local/emulator/emulator-capabilities';
import { EmulatorDeployError } from '../../../scripts/local/errors';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

describeOnEmulator(['cloudformation'], 'the emulator deploy on an emulator without Batch', () => {
  it('stops before creating anything and names every Batch resource of the template', async () => {
    // given the running emulator, as if it lacked batch (LocalStack community does)
    const capabilities = withoutServices(capabilitiesFromEnv(), ['batch']);
    const stackName = `GpuBatchInference-nobatch${Date.now().toString(36)}`;

    // when the stack is deployed there
    const deploy = deployToEmulator({
      outdir: join(mkdtempSync(join(tmpdir(), 'gbi-nobatch-')), 'cdk.out'),
      stackName,
      capabilities,
    });

    // then the deploy fails naming the missing service and each resource it would create
    const error = await deploy.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(EmulatorDeployError);
    expect(error?.message).toMatch(/lacks .*batch/);
    for (const type of [
      'AWS::Batch::ComputeEnvironment',
      'AWS::Batch::JobQueue',
      'AWS::Batch::JobDefinition',
    ]) {
      expect(error?.message).toContain(type);
    }
    // and no stack of that name was created
    await expect(
      new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName })),
    ).rejects.toThrow(/does not exist/);
  });
});
