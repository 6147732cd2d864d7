import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { PipelineConfig } from '../../lib/config/pipeline-config';
import { createApp } from '../../lib/app/create-app';
import type { BatchInferenceStack } from '../../lib/stacks/batch-inference-stack';

const CDK_CONTEXT = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'))
  .context as Record<string, unknown>;

export interface SynthOptions {
  /** Settings merged over the defaults, as a user would put them in cdk.json. */
  readonly pipeline?: Partial<Record<keyof PipelineConfig, unknown>>;
  /**
   * Run esbuild for the Lambda. Off for tests about other resources: bundling is covered once.
   * @default false
   */
  readonly bundle?: boolean;
  /**
   * Account and region, needed by context lookups such as an existing VPC.
   * @default - environment-agnostic
   */
  readonly env?: Environment;
  /** Extra context values, e.g. cached lookup results. */
  readonly context?: Record<string, unknown>;
}

/** Builds the real app (cdk.json context, config validation, cdk-nag) and returns its stack. */
export function buildStack(options: SynthOptions = {}): BatchInferenceStack {
  const { stack } = createApp(
    {
      context: {
        ...CDK_CONTEXT,
        ...options.context,
        ...(options.pipeline ? { pipeline: options.pipeline } : {}),
        ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      },
    },
    options.env ?? {},
  );
  return stack;
}

export function synthTemplate(options: SynthOptions = {}): Template {
  return Template.fromStack(buildStack(options));
}
