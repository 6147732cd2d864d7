import { Metrics } from '../../../lambda/batcher/metrics';

describe('Metrics', () => {
  it('writes an Embedded Metric Format line with the total and the per-reason dimension', () => {
    // given a metrics emitter writing to a buffer
    const lines: string[] = [];
    const metrics = new Metrics(
      'Ns',
      (line) => lines.push(line),
      () => 1234,
    );

    // when a rejected count with a reason is put
    metrics.put(
      'ItemsRejected',
      3,
      'Count',
      { name: 'Reason', value: 'outside-prefix' },
      { batchId: 'b1' },
    );

    // then the line declares the metric under no dimension and under Reason, with its value
    expect(JSON.parse(lines[0])).toEqual({
      _aws: {
        Timestamp: 1234,
        CloudWatchMetrics: [
          {
            Namespace: 'Ns',
            Dimensions: [[], ['Reason']],
            Metrics: [{ Name: 'ItemsRejected', Unit: 'Count' }],
          },
        ],
      },
      batchId: 'b1',
      Reason: 'outside-prefix',
      ItemsRejected: 3,
    });
  });
});
