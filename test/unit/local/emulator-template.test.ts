import {
  CfnTemplate,
  prepareEmulatorTemplate,
  resolvePlaceholders,
} from '../../../scripts/local/deploy/emulator-template';

const ROLE =
  'arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch';

function template(): CfnTemplate {
  return {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Bucket: { Type: 'AWS::S3::Bucket' },
      Notifications: {
        Type: 'Custom::S3BucketNotifications',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] },
          BucketName: { Ref: 'Bucket' },
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Events: ['s3:ObjectCreated:*'] },
            ],
          },
        },
        DependsOn: ['Queue'],
      },
      Compute: { Type: 'AWS::Batch::ComputeEnvironment', Properties: { Type: 'managed' } },
      JobQueue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          ComputeEnvironmentOrder: [
            { ComputeEnvironment: { 'Fn::GetAtt': ['Compute', 'ComputeEnvironmentArn'] } },
          ],
        },
        DependsOn: ['Notifications', 'Queue'],
      },
    },
    Outputs: { JobQueue: { Value: { 'Fn::GetAtt': ['JobQueue', 'JobQueueArn'] } } },
  };
}

const options = { batchServiceRoleArn: ROLE, resolveTypes: ['Custom::S3BucketNotifications'] };

test('custom resources are removed and dependencies on them dropped', () => {
  // Given a template with a custom resource another resource depends on
  // When it is prepared for the emulator
  const { template: prepared } = prepareEmulatorTemplate(template(), options);
  // Then the custom resource is gone and so is the dependency on it
  expect(prepared.Resources.Notifications).toBeUndefined();
  expect(prepared.Resources.JobQueue.DependsOn).toEqual(['Queue']);
});

test("a lifted custom resource's intrinsics become stack outputs that resolve back", () => {
  // Given the bucket notification custom resource
  const { template: prepared, customResources } = prepareEmulatorTemplate(template(), options);
  // When the outputs come back from the deployed stack
  const outputs = Object.fromEntries(
    Object.entries(prepared.Outputs!).map(([name, output]) => [name, JSON.stringify(output.Value)]),
  );
  const resolved = resolvePlaceholders(customResources[0].properties, outputs) as {
    BucketName: string;
    NotificationConfiguration: { QueueConfigurations: { QueueArn: string }[] };
    ServiceToken?: unknown;
  };
  // Then each property holds the output of its own intrinsic, and the ServiceToken is dropped
  expect(resolved.BucketName).toBe('{"Ref":"Bucket"}');
  expect(resolved.NotificationConfiguration.QueueConfigurations[0].QueueArn).toBe(
    '{"Fn::GetAtt":["Queue","Arn"]}',
  );
  expect(resolved.ServiceToken).toBeUndefined();
});

test('a compute environment gets an upper-case type and the Batch service-linked role', () => {
  // When the template is prepared
  const { template: prepared } = prepareEmulatorTemplate(template(), options);
  // Then moto's requirements are met with the values AWS applies implicitly
  expect(prepared.Resources.Compute.Properties).toEqual({ Type: 'MANAGED', ServiceRole: ROLE });
});

test('GetAtt of the Batch ARN attributes becomes Ref in resources and outputs', () => {
  // When the template is prepared
  const { template: prepared } = prepareEmulatorTemplate(template(), options);
  // Then both places use Ref, which returns the same ARN
  expect(JSON.stringify(prepared.Resources.JobQueue)).toContain('{"Ref":"Compute"}');
  expect(prepared.Outputs!.JobQueue.Value).toEqual({ Ref: 'JobQueue' });
});

test('every change is reported', () => {
  // When the template is prepared
  const { replacements } = prepareEmulatorTemplate(template(), options);
  // Then the custom resource, both compute fixes and the GetAtt rewrite are listed
  expect(replacements.map((r) => r.type)).toEqual([
    'Custom::S3BucketNotifications',
    'AWS::Batch::ComputeEnvironment',
    'AWS::Batch::ComputeEnvironment',
    'AWS::Batch::*',
  ]);
});

test('an output that references a removed custom resource stops the deploy, naming it', () => {
  // Given an output that reads the custom resource
  const broken = template();
  broken.Outputs!.Custom = { Value: { Ref: 'Notifications' } };
  // When it is prepared, then the error names the resource
  expect(() => prepareEmulatorTemplate(broken, options)).toThrow(
    /Notifications \(a custom resource\)/,
  );
});

test('an unresolved placeholder names the missing output', () => {
  // Given a placeholder whose output is absent
  // Then resolution fails naming it
  expect(() => resolvePlaceholders({ a: { emulatorOutput: 'EmulatorResolved9' } }, {})).toThrow(
    'stack output EmulatorResolved9: missing after deploy',
  );
});

test('rule targets the emulator cannot deliver to are removed, the others kept, each reported', () => {
  // Given a rule targeting a Lambda and a queue, and a schedule targeting a job queue
  const original = template();
  original.Resources.Fn = { Type: 'AWS::Lambda::Function' };
  original.Resources.Log = { Type: 'AWS::Logs::LogGroup' };
  original.Resources.JobEnded = {
    Type: 'AWS::Events::Rule',
    Properties: {
      EventPattern: { source: ['aws.batch'] },
      Targets: [
        { Id: 'Target0', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
        { Id: 'Target1', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
      ],
    },
  };
  original.Resources.Schedule = {
    Type: 'AWS::Events::Rule',
    Properties: {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [{ Id: 'Target0', Arn: { Ref: 'JobQueue' } }],
    },
  };
  original.Resources.Failed = {
    Type: 'AWS::Events::Rule',
    Properties: { Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Log', 'Arn'] } }] },
  };

  // When it is prepared for the emulator
  const { template: prepared, replacements } = prepareEmulatorTemplate(original, options);

  // Then only the queue and log group targets remain, and each removal is listed
  expect(prepared.Resources.JobEnded.Properties!.Targets).toEqual([
    { Id: 'Target1', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
  ]);
  expect(prepared.Resources.Schedule.Properties!.Targets).toEqual([]);
  expect((prepared.Resources.Failed.Properties!.Targets as unknown[]).length).toBe(1);
  expect(
    replacements.filter((r) => r.type === 'AWS::Events::Rule').map((r) => r.logicalId),
  ).toEqual(['JobEnded', 'Schedule']);
  expect(replacements.find((r) => r.logicalId === 'JobEnded')!.change).toMatch(
    /^targets Target0 removed \(the emulator cannot deliver to a Lambda or Batch target/,
  );
});
