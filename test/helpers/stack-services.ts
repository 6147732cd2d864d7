import type { AwsService } from '../../scripts/local/emulator/emulator-capabilities';

/**
 * What a suite that deploys the project's stack needs: the service of every resource the
 * synthesized template creates, plus those the emulator deploy calls itself (CloudFormation,
 * SSM for the bootstrap version). Kept equal to the template by test/infra/stack-services.test.ts.
 */
export const STACK_SERVICES: readonly AwsService[] = [
  'athena',
  'batch',
  'cloudformation',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'events',
  'glue',
  'iam',
  'kms',
  'lambda',
  'logs',
  's3',
  'sns',
  'sqs',
  'ssm',
];
