import { loadConfig } from '../../../lambda/finisher/config';

describe('finisher loadConfig', () => {
  it('defaults to the default bus and no topic', () => {
    expect(loadConfig({ RESULTS_BUCKET: 'res' })).toEqual({
      resultsBucket: 'res',
      eventBus: 'default',
    });
  });

  it('reads a bus and a topic', () => {
    expect(
      loadConfig({
        RESULTS_BUCKET: 'res',
        COMPLETION_EVENT_BUS: 'batch-events',
        COMPLETION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:done',
      }),
    ).toEqual({
      resultsBucket: 'res',
      eventBus: 'batch-events',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:done',
    });
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ COMPLETION_TOPIC_ARN: 'done' })).toThrow(
      "invalid finisher environment: RESULTS_BUCKET: required, got nothing; COMPLETION_TOPIC_ARN: expected an SNS topic ARN, got 'done'",
    );
  });
});
