import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { MissingResourceError } from './errors';

/** The stack outputs the operator tools need (lib/stacks/batch-inference-stack.ts). */
export interface PipelineStack {
  readonly stackName: string;
  readonly inputBucket: string;
  readonly inputPrefix: string;
  readonly resultsBucket: string;
  readonly modelBucket: string;
  readonly ingestQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly bufferTable: string;
  readonly batcherFunction: string;
  readonly finisherFunction: string;
  /** Name of the rule that hands the finisher its job ends. */
  readonly finisherRule: string;
  readonly completionEventBus: string;
  readonly jobQueue: string;
  readonly inferJobDefinition: string;
  readonly trainJobDefinition: string;
  readonly modelName: string;
}

const OUTPUT_NAMES: Readonly<Record<Exclude<keyof PipelineStack, 'stackName'>, string>> = {
  inputBucket: 'InputBucket',
  inputPrefix: 'InputPrefix',
  resultsBucket: 'ResultsBucket',
  modelBucket: 'ModelBucket',
  ingestQueueUrl: 'IngestQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  bufferTable: 'BufferTable',
  batcherFunction: 'BatcherFunction',
  finisherFunction: 'FinisherFunction',
  finisherRule: 'FinisherRule',
  completionEventBus: 'CompletionEventBus',
  jobQueue: 'JobQueue',
  inferJobDefinition: 'InferJobDefinition',
  trainJobDefinition: 'TrainJobDefinition',
  modelName: 'ModelName',
};

/** Names every missing output at once, so a stack from an older version is obvious. */
export function parseStackOutputs(
  stackName: string,
  outputs: Readonly<Record<string, string | undefined>>,
): PipelineStack {
  const missing = Object.values(OUTPUT_NAMES).filter((name) => outputs[name] === undefined);
  if (missing.length > 0) {
    throw new MissingResourceError(
      `stack ${stackName}: missing outputs ${missing.join(', ')}; is it a GpuBatchInference stack of this version?`,
    );
  }
  const fields = Object.fromEntries(
    Object.entries(OUTPUT_NAMES).map(([field, name]) => [field, outputs[name]!]),
  );
  return { stackName, ...fields } as PipelineStack;
}

/** Reads the outputs with DescribeStacks: the same call on the emulator and on AWS. */
export async function readStackOutputs(
  stackName: string,
  cfn = new CloudFormationClient({}),
): Promise<PipelineStack> {
  try {
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey!, output.OutputValue]),
    );
    return parseStackOutputs(stackName, outputs);
  } catch (error) {
    if (error instanceof MissingResourceError) throw error;
    const where = process.env.AWS_ENDPOINT_URL
      ? `the emulator at ${process.env.AWS_ENDPOINT_URL}`
      : `AWS (region ${process.env.AWS_REGION ?? 'from your profile'})`;
    throw new MissingResourceError(
      `stack ${stackName}: not found in ${where} (${(error as Error).message}); deploy it first (gbi local up, or npx cdk deploy)`,
    );
  }
}
