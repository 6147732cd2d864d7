import type { CfnTemplate } from '../../../scripts/local/deploy/emulator-template';
import {
  describeUnsupported,
  serviceOfResourceType,
  templateServices,
  unsupportedResources,
} from '../../../scripts/local/deploy/unsupported-resources';

const TEMPLATE: CfnTemplate = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket' },
    Rule: { Type: 'AWS::Events::Rule' },
    Compute: { Type: 'AWS::Batch::ComputeEnvironment' },
    JobQueue: { Type: 'AWS::Batch::JobQueue' },
    Table: { Type: 'AWS::DynamoDB::Table' },
    Notifications: { Type: 'Custom::S3BucketNotifications' },
    CDKMetadata: { Type: 'AWS::CDK::Metadata' },
  },
};

const LOCALSTACK = {
  kind: 'localstack' as const,
  version: '4.14.0',
  services: ['s3' as const, 'events' as const],
};

describe('template resources the emulator cannot create', () => {
  it('maps a resource type to its service, and custom resources and CDK metadata to none', () => {
    // given resource types of the stack
    // then each maps to the service LocalStack's health names
    expect(serviceOfResourceType('AWS::Batch::JobQueue')).toBe('batch');
    expect(serviceOfResourceType('AWS::Events::Rule')).toBe('events');
    expect(serviceOfResourceType('AWS::CloudWatch::Alarm')).toBe('cloudwatch');
    expect(serviceOfResourceType('Custom::S3BucketNotifications')).toBeUndefined();
    expect(serviceOfResourceType('AWS::CDK::Metadata')).toBeUndefined();
  });

  it('refuses a resource type of a service the project has not declared', () => {
    // given a type of a service not among the known ones
    // then the error names the type
    expect(() => serviceOfResourceType('AWS::StepFunctions::StateMachine')).toThrow(
      /AWS::StepFunctions::StateMachine: its service is not among/,
    );
  });

  it('lists the services a template creates resources in', () => {
    expect(templateServices(TEMPLATE)).toEqual(['batch', 'dynamodb', 'events', 's3']);
  });

  it('names every resource whose service the emulator lacks, grouped by service', () => {
    // given an emulator with S3 and EventBridge only
    // when the template is checked against it
    const unsupported = unsupportedResources(TEMPLATE, LOCALSTACK);

    // then the Batch and DynamoDB resources are named, with their types
    expect(unsupported).toEqual([
      { logicalId: 'Compute', type: 'AWS::Batch::ComputeEnvironment', service: 'batch' },
      { logicalId: 'JobQueue', type: 'AWS::Batch::JobQueue', service: 'batch' },
      { logicalId: 'Table', type: 'AWS::DynamoDB::Table', service: 'dynamodb' },
    ]);
    expect(describeUnsupported(unsupported, LOCALSTACK)).toBe(
      [
        'LocalStack 4.14.0 lacks batch, dynamodb, so it cannot create 3 resources of the template (see docs/localstack.md):',
        '  batch: Compute (AWS::Batch::ComputeEnvironment), JobQueue (AWS::Batch::JobQueue)',
        '  dynamodb: Table (AWS::DynamoDB::Table)',
      ].join('\n'),
    );
  });

  it('finds nothing to stop on an emulator with every service', () => {
    expect(
      unsupportedResources(TEMPLATE, {
        kind: 'moto',
        services: ['batch', 'dynamodb', 'events', 's3'],
      }),
    ).toEqual([]);
  });
});
