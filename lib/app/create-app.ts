import { App, AppProps, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { resolveConfig } from '../config/validate-config';
import { BatchInferenceStack } from '../stacks/batch-inference-stack';
import {
  acknowledgeByResourceType,
  acknowledgeCdkProvidedResources,
  acknowledgeJustifiedWildcards,
} from './nag-acknowledgements';

export const STACK_NAME = 'GpuBatchInference';

/**
 * Builds the CDK app: reads the `pipeline` context, validates it, adds the stack and runs the
 * cdk-nag AwsSolutions and NIST 800-53 rev 5 packs on it. Shared by bin/app.ts, the tests and the local demo.
 */
export function createApp(
  props: AppProps = {},
  env: Environment = {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
): { app: App; stack: BatchInferenceStack } {
  const app = new App(props);
  const config = resolveConfig(app.node.tryGetContext('pipeline'));
  const stack = new BatchInferenceStack(app, STACK_NAME, {
    config,
    description:
      'Serverless GPU batch inference: S3 -> SQS -> batcher -> AWS Batch GPU jobs, scheduled retraining',
    env,
  });
  acknowledgeJustifiedWildcards(stack);
  acknowledgeCdkProvidedResources(stack);
  acknowledgeByResourceType(stack);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new NIST80053R5Checks(app, { verbose: true }),
  );
  return { app, stack };
}
