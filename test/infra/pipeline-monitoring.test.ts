import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

function alarmOn(metricName: string, namespace: string): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: metricName,
    Namespace: namespace,
    AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') }],
  });
}

describe('PipelineMonitoring', () => {
  it('alarms when a dead-letter queue holds a message', () => {
    alarmOn('ApproximateNumberOfMessagesVisible', 'AWS/SQS');
  });

  it('alarms when the oldest upload waits longer than an hour', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3600,
    });
  });

  it('alarms on batcher errors', () => {
    alarmOn('Errors', 'AWS/Lambda');
  });

  it('alarms on failed Batch jobs from the job state change events of this queue', () => {
    alarmOn('TriggeredRules', 'AWS/Events');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: {
          status: ['FAILED'],
          jobQueue: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeJobQueue'), 'JobQueueArn'] }],
        },
      },
    });
  });

  it('encrypts the alarm topic with a rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('subscribes no one by default and the configured email when given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    synthTemplate({ pipeline: { alarmEmail: 'oncall@example.com' } }).hasResourceProperties(
      'AWS::SNS::Subscription',
      {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
      },
    );
  });

  it('publishes a dashboard', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'gbi-pipeline' });
  });
});
