import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './private/dead-letter-queue';
import type { AccessCall } from '../contracts/access';

export interface RetrainScheduleProps {
  readonly jobQueue: batch.IJobQueue;
  readonly trainJobDefinition: batch.IJobDefinition;
  /** EventBridge schedule expression, e.g. `cron(0 3 ? * SUN *)`. */
  readonly schedule: string;
  /**
   * Attempts EventBridge makes to submit the job before the event goes to the dead-letter queue.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Job name of the scheduled runs.
   * @default 'scheduled-retrain'
   */
  readonly jobName?: string;
}

/**
 * Submits the retrain job on a schedule. A submission EventBridge cannot make (throttling, a
 * deleted queue) is retried, then kept in a dead-letter queue instead of vanishing.
 */
export class RetrainSchedule extends Construct {
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RetrainScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'the retrain schedule target');

    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the scheduled retrain job.',
      schedule: events.Schedule.expression(props.schedule),
      targets: [
        new targets.BatchJob(
          props.jobQueue.jobQueueArn,
          props.jobQueue,
          props.trainJobDefinition.jobDefinitionArn,
          props.trainJobDefinition,
          {
            jobName: props.jobName ?? 'scheduled-retrain',
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: props.retryAttempts ?? 3,
            maxEventAge: Duration.hours(2),
          },
        ),
      ],
    });
  }
}

/** What EventBridge does for the retrain schedule (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['retrainSchedule'],
    sdk: 'events:batch-target',
    action: 'batch:SubmitJob',
    resources: [{ arn: 'jobQueue' }, { arn: 'trainJobDefinition' }],
    why: 'submits the scheduled retrain job with the deployed train job definition',
  },
  {
    by: ['eventBridge'],
    sdk: 'events:dead-letter',
    action: 'sqs:SendMessage',
    resources: [{ arn: 'retrainDeadLetterQueue' }],
    why: 'EventBridge sends a submission it could not make to the dead-letter queue',
  },
];
