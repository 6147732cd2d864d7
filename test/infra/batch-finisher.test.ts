import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchFinisher, BatchFinisherProps } from '../../lib/constructs/batch-finisher';
import { actionsOf, roleStatements, Statement } from '../helpers/policy-statements';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

const finisherStatements = (t: Template = template) => roleStatements(t, 'FinisherRole');
const finisherRule = (t: Template = template) =>
  Object.values(
    t.findResources('AWS::Events::Rule', {
      Properties: {
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FinisherFunction'), 'Arn'] },
          }),
        ],
      },
    }),
  );
const allowing = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action));

/** The construct alone, in a stack of its own, for its validation. */
function standalone(props: Partial<BatchFinisherProps>): () => BatchFinisher {
  return () => {
    const stack = new Stack(new App(), 'S');
    const queue = batch.JobQueue.fromJobQueueArn(
      stack,
      'Q',
      'arn:aws:batch:us-east-1:123456789012:job-queue/q',
    );
    const definition = batch.EcsJobDefinition.fromJobDefinitionArn(
      stack,
      'D',
      'arn:aws:batch:us-east-1:123456789012:job-definition/d:1',
    );
    return new BatchFinisher(stack, 'F', {
      resultsBucket: s3.Bucket.fromBucketName(stack, 'B', 'results'),
      jobQueue: queue,
      inferJobDefinition: definition,
      ...props,
    });
  };
}

describe('BatchFinisher', () => {
  it("is given only the end of the pipeline's inference parent or plain jobs", () => {
    // given the rule that targets the finisher
    const rules = finisherRule();

    // then it matches SUCCEEDED and FAILED ends of this queue and job definition, no array child
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern).toEqual({
      source: ['aws.batch'],
      'detail-type': ['Batch Job State Change'],
      detail: {
        status: ['SUCCEEDED', 'FAILED'],
        jobQueue: [{ 'Fn::GetAtt': [expect.stringMatching(/^ComputeJobQueue/), 'JobQueueArn'] }],
        jobDefinition: [{ Ref: expect.stringMatching(/^JobsInfer/) }],
        arrayProperties: { index: [{ exists: false }] },
      },
    });
  });

  it('retries delivery 8 times for up to 24 hours, then keeps the event in a dead-letter queue', () => {
    const [target] = finisherRule()[0].Properties.Targets;
    expect(target.RetryPolicy).toEqual({
      MaximumRetryAttempts: 8,
      MaximumEventAgeInSeconds: 86400,
    });
    expect(target.DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^FinisherDeadLetterQueue/), 'Arn'] },
    });
  });

  it('keeps the events it failed on after two retries in the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COMPLETION_EVENT_BUS: 'default' }) },
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FinisherDeadLetterQueue'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^FinisherFunction') },
      MaximumRetryAttempts: 2,
    });
  });

  it('encrypts its dead-letter queue and alarms when anything reaches it', () => {
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    });
    expect(Object.keys(queues).some((id) => id.startsWith('FinisherDeadLetterQueue'))).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^FinisherDeadLetterQueue'), 'QueueName'],
          },
        },
      ],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') }],
    });
  });

  it('reads only manifests and summaries, and lists only summaries', () => {
    const statements = finisherStatements();
    const gets = allowing(statements, 's3:GetObject').flatMap((s) => [s.Resource].flat());
    expect(JSON.stringify(gets)).toMatch(/\/manifests\/\*/);
    expect(JSON.stringify(gets)).toMatch(/\/summaries\/\*/);
    expect(gets).toHaveLength(2);
    const lists = allowing(statements, 's3:ListBucket');
    expect(lists.map((s) => s.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['summaries/*'] } },
    ]);
    expect(statements.filter((s) => actionsOf(s).some((a) => /^s3:(Delete|\*)/.test(a)))).toEqual(
      [],
    );
  });

  it('creates only batch.json, and only with If-None-Match', () => {
    const puts = allowing(finisherStatements(), 's3:PutObject');
    expect(puts).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': [
            '',
            [
              { 'Fn::GetAtt': [expect.stringMatching(/^StorageResults/), 'Arn'] },
              '/summaries/*/batch.json',
            ],
          ],
        },
        Condition: { Null: { 's3:if-none-match': 'false' } },
      },
    ]);
  });

  it('makes batch.json write-once for every principal by bucket policy', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p).includes('/summaries/*/batch.json'),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as (Statement & {
      Sid?: string;
    })[];
    const sids = statements
      .filter((s) => JSON.stringify(s.Resource).includes('/summaries/*/batch.json'))
      .map((s) => s.Sid);
    expect(sids.sort()).toEqual(['DenyDeletingWriteOnce', 'DenyUnconditionalCreate']);
  });

  it('puts events on the one configured bus only', () => {
    const puts = allowing(finisherStatements(), 'events:PutEvents');
    expect(puts.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringMatching(/:event-bus\/default"/),
    ]);
    const custom = synthTemplate({ pipeline: { completionEventBusName: 'batch-events' } });
    expect(
      allowing(finisherStatements(custom), 'events:PutEvents').map((s) =>
        JSON.stringify(s.Resource),
      ),
    ).toEqual([expect.stringMatching(/:event-bus\/batch-events"/)]);
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COMPLETION_EVENT_BUS: 'batch-events' }) },
    });
  });

  it('creates no topic and grants no publish without a completion email', () => {
    expect(allowing(finisherStatements(), 'sns:Publish')).toEqual([]);
    expect(
      Object.keys(template.findResources('AWS::SNS::Topic')).filter((id) =>
        id.startsWith('Finisher'),
      ),
    ).toEqual([]);
  });

  it('encrypts the completion topic with a rotated key and publishes to it alone', () => {
    // given a completion email
    const t = synthTemplate({ pipeline: { completionEmail: 'team@example.com' } });

    // then the topic is KMS-encrypted, SSL-only, subscribed by email
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FinisherTopicKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the batch completion topic',
      EnableKeyRotation: true,
    });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'team@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^FinisherTopic') },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    // and the finisher may publish to that topic and use that key's data keys, nothing more
    const statements = finisherStatements(t);
    expect(allowing(statements, 'sns:Publish').map((s) => s.Resource)).toEqual([
      { Ref: expect.stringMatching(/^FinisherTopic/) },
    ]);
    const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kms.map((s) => [actionsOf(s).sort(), s.Resource])).toEqual([
      [
        ['kms:Decrypt', 'kms:GenerateDataKey'],
        { 'Fn::GetAtt': [expect.stringMatching(/^FinisherTopicKey/), 'Arn'] },
      ],
    ]);
  });

  it('names every bad prop at once', () => {
    expect(
      standalone({
        retryAttempts: 200,
        maxEventAge: Duration.hours(25),
        notificationEmail: 'nobody',
        eventBusName: ' ',
      }),
    ).toThrow(
      /retryAttempts: .*200.*maxEventAge: .*90000 seconds.*notificationEmail: .*'nobody'.*eventBusName:/,
    );
  });

  it('takes a bus by ARN as well as by name', () => {
    const finisher = standalone({
      eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/shared',
    })();
    const t = Template.fromStack(Stack.of(finisher));
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: 'arn:aws:events:us-east-1:123456789012:event-bus/shared',
          }),
        ]),
      },
    });
  });
});
