import { Match } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

describe('RetrainSchedule', () => {
  it('submits the retrain job on the configured schedule with retries and a dead-letter queue', () => {
    const template = synthTemplate({ pipeline: { retrainSchedule: 'cron(0 4 ? * MON *)' } });

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 4 ? * MON *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeJobQueue'), 'JobQueueArn'] },
          BatchParameters: {
            JobDefinition: { Ref: Match.stringLikeRegexp('^JobsTrain') },
            JobName: 'scheduled-retrain',
          },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RetrainDeadLetterQueue'), 'Arn'] },
          },
        }),
      ],
    });
  });

  it('creates no schedule when retraining is switched off', () => {
    const template = synthTemplate({ pipeline: { retrainSchedule: 'off' } });

    expect(
      Object.keys(
        template.findResources('AWS::Events::Rule', {
          Properties: { Description: 'Starts the scheduled retrain job.' },
        }),
      ),
    ).toEqual([]);
  });
});
