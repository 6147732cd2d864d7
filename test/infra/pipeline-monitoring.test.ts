import { Match, Template } from 'aws-cdk-lib/assertions';
import { BATCHER_METRIC_UNITS, BatcherMetricName } from '../../lib/contracts/batcher-metrics';
import { BATCHER_ENV } from '../../lib/contracts/batcher-env';
import { BatcherMetrics } from '../../lambda/batcher/batcher-metrics';
import { dashboardMetricIds, emfMetricIds } from '../helpers/cloudwatch-metric-ids';
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

  it("graphs the batcher's metrics under the namespace and dimensions its function publishes them with", () => {
    // given the namespace the stack gives the batcher, and the EMF the batcher writes in it for
    // each of its metrics (a reason and a batch id where the code gives them)
    const [batcher] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: { [BATCHER_ENV.metricsNamespace]: Match.anyValue() } },
        },
      }),
    );
    const namespace = batcher.Properties.Environment.Variables[BATCHER_ENV.metricsNamespace];
    const lines: string[] = [];
    const metrics = new BatcherMetrics(namespace, (line) => lines.push(line), undefined);
    for (const name of Object.keys(BATCHER_METRIC_UNITS) as BatcherMetricName[]) {
      metrics.add(name, 1, { reason: 'max-files', batchId: 'b1' });
    }
    metrics.publishStoredMetrics();

    // when the dashboard's metrics in that namespace are read
    const graphed = [...dashboardMetricIds(template)].filter((id) =>
      id.startsWith(`${namespace} `),
    );

    // then it graphs four of them, every one a metric the batcher publishes
    expect(graphed).toEqual([
      `${namespace} ItemsBuffered service=batcher`,
      `${namespace} BatchesClosed service=batcher`,
      `${namespace} ItemsRejected service=batcher`,
      `${namespace} SubmitLatency service=batcher`,
    ]);
    const published = emfMetricIds(lines);
    expect(graphed.filter((id) => !published.has(id))).toEqual([]);
  });
});
