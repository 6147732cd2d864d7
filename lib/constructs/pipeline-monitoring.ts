import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCHER_METRIC_DIMENSIONS, BatcherMetricName } from '../contracts/batcher-metrics';

export interface PipelineMonitoringProps {
  readonly ingestQueue: sqs.IQueue;
  /** Every dead-letter queue of the pipeline; a message in any of them raises an alarm. */
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly batcher: lambda.IFunction;
  readonly jobQueue: batch.IJobQueue;
  /**
   * Namespace of the batcher's custom metrics, for the dashboard; their names and dimensions
   * are those of lib/contracts/batcher-metrics.ts.
   */
  readonly metricsNamespace: string;
  /**
   * Alarm when the oldest upload has waited in the queue longer than this.
   * @default Duration.hours(1)
   */
  readonly maxMessageAge?: Duration;
  /**
   * Subscribe this address to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Dashboard name.
   * @default - generated
   */
  readonly dashboardName?: string;
}

/** Alarms on everything that means lost or stuck work, sent to one encrypted topic, plus a dashboard. */
export class PipelineMonitoring extends Construct {
  public readonly alarmTopic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Matches this queue's FAILED job state changes; its firings are the failed-jobs metric. */
  public readonly failedJobsRule: events.Rule;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      description: 'Encrypts the pipeline alarm topic',
    });
    // CloudWatch alarms can only publish to an encrypted topic whose key lets them use it:
    // Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms"
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: topicKey, enforceSSL: true });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    props.deadLetterQueues.forEach((queue, index) =>
      this.alarm(`DeadLetterQueueNotEmpty${index}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: 1,
        description:
          'Messages reached a dead-letter queue: work that failed repeatedly needs a look and a redrive.',
      }),
    );
    this.alarm('OldestUploadTooOld', {
      metric: props.ingestQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: (props.maxMessageAge ?? Duration.hours(1)).toSeconds(),
      description: 'Uploads wait in the ingest queue: the batcher is failing or throttled.',
    });
    this.alarm('BatcherErrors', {
      metric: props.batcher.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: 'The batcher Lambda failed whole invocations.',
    });

    this.failedJobsRule = new events.Rule(this, 'FailedJobs', {
      description: 'AWS Batch jobs of this pipeline that ended FAILED.',
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: { status: ['FAILED'], jobQueue: [props.jobQueue.jobQueueArn] },
      },
      targets: [
        new targets.CloudWatchLogGroup(
          new logs.LogGroup(this, 'FailedJobsLog', {
            retention: logs.RetentionDays.THREE_MONTHS,
            // Kept like the job logs it points to.
            removalPolicy: RemovalPolicy.RETAIN,
          }),
        ),
      ],
    });
    const failedJobs = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      dimensionsMap: { RuleName: this.failedJobsRule.ruleName },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    this.alarm('BatchJobsFailed', {
      metric: failedJobs,
      threshold: 1,
      description:
        'An inference or retrain job failed; the failed-jobs log group holds its state change event.',
    });

    // The totals, under the dimensions the batcher publishes them with; any other dimension set
    // would be another metric, with no data.
    const batcherMetric = (metricName: BatcherMetricName, statistic: string) =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { ...BATCHER_METRIC_DIMENSIONS },
        statistic,
      });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Ingest queue',
            left: [props.ingestQueue.metricApproximateNumberOfMessagesVisible()],
            right: [props.ingestQueue.metricApproximateAgeOfOldestMessage()],
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues',
            left: props.deadLetterQueues.map((queue) =>
              queue.metricApproximateNumberOfMessagesVisible(),
            ),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Batcher',
            left: [props.batcher.metricInvocations(), props.batcher.metricErrors()],
            right: [props.batcher.metricDuration()],
          }),
          new cloudwatch.GraphWidget({
            title: 'Batches',
            left: (['ItemsBuffered', 'BatchesClosed', 'ItemsRejected'] as const).map((name) =>
              batcherMetric(name, 'Sum'),
            ),
            right: [batcherMetric('SubmitLatency', 'p90')],
          }),
          new cloudwatch.GraphWidget({ title: 'Failed Batch jobs', left: [failedJobs] }),
        ],
      ],
    });
  }

  private alarm(
    id: string,
    options: { metric: cloudwatch.IMetric; threshold: number; description: string },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}
