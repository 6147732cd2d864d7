import { Match, Template } from 'aws-cdk-lib/assertions';
import { BATCHER_ENV } from '../../lib/contracts/batcher-env';
import { DEFAULT_METRICS_NAMESPACE } from '../../lib/contracts/metrics-namespace';
import { actionsOf, roleStatements } from '../helpers/policy-statements';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

const batcherStatements = () => roleStatements(template, 'BatcherRole');

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

  it('indexes the buffer claims by object key, so gbi find lists every version of a key', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'claims-by-key',
          KeySchema: [
            { AttributeName: 'objectKey', KeyType: 'HASH' },
            { AttributeName: 'claimedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['batchId', 'object'] },
        },
      ],
    });
  });

  it('passes the batching thresholds from the configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAX_BATCH_FILES: '40000',
          MAX_BATCH_BYTES: String(10 * 1024 ** 3),
          MAX_BATCH_WAIT_SECONDS: '1440',
          SHARD_SIZE: '40000',
          INPUT_PREFIX: 'incoming/',
          MODEL_NAME: 'digits',
        }),
      },
    });
  });

  it("publishes its metrics in the contract's default namespace, the one its dashboard graphs", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [BATCHER_ENV.metricsNamespace]: DEFAULT_METRICS_NAMESPACE }),
      },
    });
  });

  it('may submit jobs only to this job queue and the deployed revision of the inference job definition', () => {
    // given the batcher's SubmitJob grant
    const submit = batcherStatements().find((s) => actionsOf(s).includes('batch:SubmitJob'));
    const [inferDefinition] = Object.keys(
      template.findResources('AWS::Batch::JobDefinition', {
        Properties: { ContainerProperties: { Command: Match.arrayWith(['infer']) } },
      }),
    );

    // then it names the queue and the definition's Ref, which is the ARN with its revision
    expect(submit?.Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ComputeJobQueue/), 'JobQueueArn'] },
      { Ref: inferDefinition },
    ]);
    expect(JSON.stringify(submit?.Resource)).not.toContain(':*');
    expect(JSON.stringify(submit?.Resource)).not.toContain('JobsTrain');
  });

  it('writes only its own log group, without the account-wide basic execution policy', () => {
    // given the batcher's role
    const [role] = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
          }),
          Description: Match.stringLikeRegexp('^The batcher'),
        },
      }),
    );
    const logStatements = batcherStatements().filter((s) =>
      actionsOf(s).some((action) => action.startsWith('logs:')),
    );

    // then no managed policy, and log writes only to the batcher's log group
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(logStatements).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^BatcherLogs/), 'Arn'] },
      }),
    ]);
  });

  it('keeps its log group when the stack is deleted, like the data', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const batcherLogs = Object.entries(groups).find(([id]) => id.startsWith('BatcherLogs'));
    expect(batcherLogs?.[1]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('grants no action on every resource except ListJobs, which has no resource-level permissions', () => {
    const unscoped = batcherStatements().filter((s) => s.Resource === '*');
    expect(unscoped.flatMap((s) => [s.Action].flat()).sort()).toEqual(['batch:ListJobs']);
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
