import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function batcherStatements(): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^BatcherFunctionServiceRole') }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

describe('BatcherFunction', () => {
  it('runs on the current Node.js Lambda runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      MemorySize: 512,
      Timeout: 120,
    });
  });

  it('consumes the ingest queue with partial batch responses, a batching window and bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('is invoked once a minute to close batches by age', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatcherFunction'), 'Arn'] },
        }),
      ],
    });
  });

  it('keeps its buffer in an on-demand DynamoDB table with point-in-time recovery and TTL', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('passes the batching thresholds from the configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAX_BATCH_FILES: '20000',
          MAX_BATCH_BYTES: String(10 * 1024 ** 3),
          MAX_BATCH_WAIT_SECONDS: '900',
          SHARD_SIZE: '5000',
          INPUT_PREFIX: 'incoming/',
          MODEL_NAME: 'digits',
        }),
      },
    });
  });

  it('may submit jobs only to this job queue and the inference job definition', () => {
    const submit = batcherStatements().find((s) => [s.Action].flat().includes('batch:SubmitJob'));

    const resources = JSON.stringify(submit?.Resource);
    expect(submit?.Resource).toHaveLength(2);
    expect(resources).toContain('ComputeJobQueue');
    expect(resources).toContain('JobsInfer');
    expect(resources).not.toContain('JobsTrain');
  });

  it('grants no action on every resource except the Batch reads that have no resource-level permissions', () => {
    const unscoped = batcherStatements().filter((s) => s.Resource === '*');
    expect(unscoped.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'batch:DescribeJobs',
      'batch:ListJobs',
    ]);
  });
});

describe('BatcherFunction bundling', () => {
  it('bundles the handler with local esbuild, without Docker', () => {
    // given bundling switched on, as `cdk synth` does
    const bundled = synthTemplate({ bundle: true });

    // then the function code is a staged asset
    bundled.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
  });
});
