import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

function ingestQueue(): { Properties: Record<string, unknown> } {
  const queues = template.findResources('AWS::SQS::Queue', {
    Properties: { QueueName: 'gbi-ingest' },
  });
  return Object.values(queues)[0] as { Properties: Record<string, unknown> };
}

describe('IngestQueue', () => {
  it('queues ObjectCreated events under the input prefix', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: Match.anyValue(),
          },
        ],
      },
    });
  });

  it('adds one notification per configured suffix, each with the prefix', () => {
    // given two suffixes
    const filtered = synthTemplate({ pipeline: { inputSuffixes: ['.png', '.jpg'] } });

    // then S3 gets two non-overlapping rules
    filtered.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: ['.png', '.jpg'].map((suffix) =>
          Match.objectLike({
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'suffix', Value: suffix },
                  { Name: 'prefix', Value: 'incoming/' },
                ],
              },
            },
          }),
        ),
      },
    });
  });

  it('encrypts the queue and its dead-letter queue with SQS-managed keys', () => {
    const encrypted = template.findResources('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true },
    });
    expect(Object.keys(encrypted).length).toBe(
      Object.keys(template.findResources('AWS::SQS::Queue')).length,
    );
  });

  it('moves a message to the dead-letter queue after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'gbi-ingest',
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('sets the visibility timeout to six times the batcher timeout plus its batching window', () => {
    // given the default 120 s timeout and 20 s window
    expect(ingestQueue().Properties.VisibilityTimeout).toBe(6 * 120 + 20);
  });

  it('keeps dead letters for 14 days, the most SQS allows', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'gbi-ingest-dlq',
      MessageRetentionPeriod: 1209600,
    });
  });

  it('admits S3 notifications only from the input bucket of this account', () => {
    // given the queue policy statement for S3
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const fromS3 = policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => statement.Principal?.Service === 's3.amazonaws.com');

    // then it names both the source bucket and the source account
    expect(fromS3).toEqual([
      expect.objectContaining({
        Condition: {
          ArnLike: {
            'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^StorageInput/), 'Arn'] },
          },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    ]);
  });

  it('denies non-SSL access to the queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});
