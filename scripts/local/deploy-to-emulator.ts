import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { STACK_NAME } from '../../lib/app/create-app';
import type { PipelineConfig } from '../../lib/config/pipeline-config';
import { s3Client } from '../../lib/contracts/aws-clients';
import {
  AppliedCustomResource,
  APPLIED_TYPES,
  applyCustomResources,
} from './deploy/apply-custom-resources';
import { bootstrapEmulator } from './deploy/bootstrap-emulator';
import { disableEventSourceMappings } from './deploy/disable-event-source-mappings';
import {
  prepareEmulatorTemplate,
  Replacement,
  RESOLVED_OUTPUT_PREFIX,
  resolvePlaceholders,
} from './deploy/emulator-template';
import { publishFileAssets } from './deploy/publish-assets';
import { synthesizeStack } from './deploy/synth-assembly';
import { describeUnsupported, unsupportedResources } from './deploy/unsupported-resources';
import { detectEmulator } from './emulator/detect-emulator';
import type { EmulatorCapabilities } from './emulator/emulator-capabilities';
import { EmulatorDeployError } from './errors';

export interface EmulatorDeployOptions {
  /** `pipeline` context over cdk.json's (small thresholds for the demo, say). */
  readonly pipeline?: Partial<Record<keyof PipelineConfig, unknown>>;
  /** Where the cloud assembly is written. */
  readonly outdir: string;
  /** @default 'GpuBatchInference', the name `cdk deploy` gives it */
  readonly stackName?: string;
  readonly log?: (line: string) => void;
  /** @default - detected from the emulator at AWS_ENDPOINT_URL */
  readonly capabilities?: EmulatorCapabilities;
}

export interface EmulatorDeployment {
  readonly stackName: string;
  /** The stack's outputs (InputBucket, JobQueue, ...), as DescribeStacks returns them. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Every change made to the synthesized template, and the custom resources' local outcome. */
  readonly replacements: readonly Replacement[];
  readonly customResources: readonly AppliedCustomResource[];
  /** Template resources the emulator's CloudFormation skipped (types it does not implement). */
  readonly notCreated: readonly { readonly logicalId: string; readonly type: string }[];
  /** Docker image assets left unpublished: the local executor runs the worker from source. */
  readonly unpublishedImages: readonly string[];
}

const POLL_MS = 500;
const STACK_TIMEOUT_MS = 120_000;

async function waitForStack(cfn: CloudFormationClient, stackName: string): Promise<Stack> {
  const deadline = Date.now() + STACK_TIMEOUT_MS;
  for (;;) {
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks[0];
    if (stack && !stack.StackStatus?.endsWith('_IN_PROGRESS')) return stack;
    if (Date.now() > deadline) {
      throw new EmulatorDeployError(
        `stack ${stackName}: still ${stack?.StackStatus} after ${STACK_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function failureReasons(cfn: CloudFormationClient, stackName: string): Promise<string> {
  try {
    const { StackEvents = [] } = await cfn.send(
      new DescribeStackEventsCommand({ StackName: stackName }),
    );
    return StackEvents.filter((event) => event.ResourceStatus?.endsWith('FAILED'))
      .map(
        (event) =>
          `${event.LogicalResourceId}: ${event.ResourceStatusReason ?? event.ResourceStatus}`,
      )
      .join('; ');
  } catch {
    return 'no stack events';
  }
}

/**
 * Deploys the CDK app's own synthesized template into the emulator's CloudFormation, so what
 * runs locally is what `cdk deploy` creates. Only what the emulator cannot run is replaced (see
 * ./deploy/emulator-template.ts and docs/testing.md): custom resources are applied from their
 * own properties, and the worker image is not published.
 */
export async function deployToEmulator(
  options: EmulatorDeployOptions,
): Promise<EmulatorDeployment> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new EmulatorDeployError(
      'AWS_ENDPOINT_URL: not set; the emulator deploy never targets AWS (use `npx cdk deploy` there)',
    );
  }
  const log = options.log ?? (() => undefined);
  const stackName = options.stackName ?? STACK_NAME;
  const region = process.env.AWS_REGION ?? 'us-east-1';

  log('synthesizing the CDK app (bundles the batcher Lambda, runs cdk-nag)');
  const synthesized = synthesizeStack(options.pipeline ?? {}, options.outdir);
  const capabilities = options.capabilities ?? (await detectEmulator(endpoint));
  const unsupported = unsupportedResources(synthesized.template, capabilities);
  if (unsupported.length > 0) {
    throw new EmulatorDeployError(
      `stack ${stackName} not deployed at ${endpoint}: ${describeUnsupported(unsupported, capabilities)}`,
    );
  }
  const bootstrap = await bootstrapEmulator(region);
  const s3 = s3Client();
  const published = await publishFileAssets(synthesized.fileAssets, bootstrap, s3);
  log(`bootstrapped ${bootstrap.assetBucket} and published ${published} file assets`);

  const prepared = prepareEmulatorTemplate(synthesized.template, {
    batchServiceRoleArn: bootstrap.batchServiceRoleArn,
    resolveTypes: APPLIED_TYPES,
  });
  const cfn = new CloudFormationClient({});
  try {
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(prepared.template),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      }),
    );
  } catch (error) {
    const name = (error as Error).name;
    throw new EmulatorDeployError(
      name === 'AlreadyExistsException'
        ? `stack ${stackName} already exists at ${endpoint}; stop that emulator (gbi local down) or pick another stack name`
        : `CreateStack ${stackName} failed at ${endpoint}: ${(error as Error).message} (${await failureReasons(cfn, stackName)})`,
      { cause: error },
    );
  }
  const stack = await waitForStack(cfn, stackName);
  if (stack.StackStatus !== 'CREATE_COMPLETE') {
    throw new EmulatorDeployError(
      `stack ${stackName}: ${stack.StackStatus} (${stack.StackStatusReason ?? (await failureReasons(cfn, stackName))})`,
    );
  }
  const allOutputs = Object.fromEntries(
    (stack.Outputs ?? []).map((output) => [output.OutputKey!, output.OutputValue ?? '']),
  );
  const customResources = await applyCustomResources(
    prepared.customResources.map((resource) => ({
      resource,
      properties: resolvePlaceholders(resource.properties, allOutputs),
    })),
    s3,
  );
  const { StackResources = [] } = await cfn.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  const functions = StackResources.filter(
    (resource) => resource.ResourceType === 'AWS::Lambda::Function',
  ).map((resource) => resource.PhysicalResourceId!);
  const replacements = [...prepared.replacements];
  for (const functionName of await disableEventSourceMappings(functions)) {
    replacements.push({
      logicalId: functionName,
      type: 'AWS::Lambda::EventSourceMapping',
      change:
        "disabled: moto's mapping would hand messages to a function it cannot run; the local batcher receives instead",
    });
  }
  const created = new Set(StackResources.map((resource) => resource.LogicalResourceId));
  const notCreated = Object.entries(prepared.template.Resources)
    .filter(([logicalId]) => !created.has(logicalId))
    .map(([logicalId, resource]) => ({ logicalId, type: resource.Type }));
  log(
    `stack ${stackName} created from the synthesized template (${replacements.length} local replacements)`,
  );
  return {
    stackName,
    outputs: Object.fromEntries(
      Object.entries(allOutputs).filter(([key]) => !key.startsWith(RESOLVED_OUTPUT_PREFIX)),
    ),
    replacements,
    customResources,
    notCreated,
    unpublishedImages: synthesized.imageAssets,
  };
}
