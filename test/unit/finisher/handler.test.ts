import type { Context } from 'aws-lambda';
import { createHandler } from '../../../lambda/finisher/handler';
import { jobEndEvent } from '../../helpers/finisher-fixtures';

const context = {
  functionName: 'finisher',
  awsRequestId: 'r1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

function handlerWithLines(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const handler = createHandler({ env, sink: (line) => lines.push(JSON.parse(line)) });
  return { handler, lines };
}

describe('finisher handler', () => {
  it('throws on a job that is not ours, logging the error and counting it, through its sink', async () => {
    // given a handler whose lines go to a buffer
    const { handler, lines } = handlerWithLines({
      RESULTS_BUCKET: 'res',
      POWERTOOLS_METRICS_NAMESPACE: 'Ns',
    });

    // when it is given a retrain job's end
    const event = jobEndEvent('b1', { jobName: 'retrain', parameters: { model: 'digits' } });
    await expect(handler(event, context)).rejects.toMatchObject({ name: 'NotOurJobError' });

    // then one error log line names the problem and one EMF line counts it
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'batch not finished',
        service: 'gbi-finisher',
        error: expect.objectContaining({
          name: 'NotOurJobError',
          message: expect.stringContaining('detail.parameters.manifest'),
        }),
      }),
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Ns',
              Dimensions: [['service']],
              Metrics: [{ Name: 'FinisherErrors', Unit: 'Count' }],
            },
          ],
        }),
        FinisherErrors: 1,
      }),
    ]);
  });

  it('names a bad environment at its first invocation', async () => {
    const { handler } = handlerWithLines({});
    await expect(handler(jobEndEvent('b1'), context)).rejects.toThrow(
      'invalid finisher environment: RESULTS_BUCKET: required, got nothing',
    );
  });
});
