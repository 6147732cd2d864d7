import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineConfig } from '../../lib/config/pipeline-config';
import { readStackOutputs, PipelineStack } from '../../scripts/cli/stack-outputs';
import { deployToEmulator, EmulatorDeployment } from '../../scripts/local/deploy-to-emulator';

export interface DeployedTestStack {
  readonly deployment: EmulatorDeployment;
  readonly stack: PipelineStack;
  /** A private directory for the cloud assembly, executor state and logs. */
  readonly directory: string;
}

/**
 * The project's own stack, synthesized and deployed into the shared test emulator under a
 * unique stack name and name prefix, so test files never collide on queues or job queues.
 */
export async function deployTestStack(
  pipeline: Partial<Record<keyof PipelineConfig, unknown>> = {},
): Promise<DeployedTestStack> {
  const id = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const directory = mkdtempSync(join(tmpdir(), 'gbi-stack-'));
  const deployment = await deployToEmulator({
    pipeline: { namePrefix: `gbi-${id}`, ...pipeline },
    outdir: join(directory, 'cdk.out'),
    stackName: `GpuBatchInference-${id}`,
  });
  return { deployment, stack: await readStackOutputs(deployment.stackName), directory };
}
