import { BatcherMetrics } from '../../../lambda/batcher/batcher-metrics';

type Emf = {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: unknown[] }[];
  };
} & Record<string, unknown>;

function recorder(): { metrics: BatcherMetrics; blobs: () => Emf[] } {
  const lines: string[] = [];
  const metrics = new BatcherMetrics('Ns', (line) => lines.push(line), undefined);
  return { metrics, blobs: () => lines.map((line) => JSON.parse(line) as Emf) };
}

describe('BatcherMetrics', () => {
  it('publishes a total under the service dimension and, given a reason, a blob under service and Reason', () => {
    // given a rejected count with a reason
    const { metrics, blobs } = recorder();
    metrics.add('ItemsRejected', 3, { reason: 'outside-prefix' });

    // when the invocation's metrics are published
    metrics.publishStoredMetrics();

    // then the total and the per-reason count are two EMF blobs of the namespace
    expect(blobs()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Ns',
              Dimensions: [['service']],
              Metrics: [{ Name: 'ItemsRejected', Unit: 'Count' }],
            },
          ],
        },
        service: 'batcher',
        ItemsRejected: 3,
      },
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Ns',
              Dimensions: [['service', 'Reason']],
              Metrics: [{ Name: 'ItemsRejected', Unit: 'Count' }],
            },
          ],
        },
        service: 'batcher',
        Reason: 'outside-prefix',
        ItemsRejected: 3,
      },
    ]);
  });

  it('stores metrics until the invocation publishes them, then publishes each blob once', () => {
    // given two counts added
    const { metrics, blobs } = recorder();
    metrics.add('ItemsBuffered', 2);
    metrics.add('ItemsDuplicate', 1);
    const beforePublish = blobs().length;

    // when the metrics are published twice
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics();

    // then nothing was written before, and one blob after, holding both
    expect(beforePublish).toBe(0);
    expect(blobs()).toEqual([expect.objectContaining({ ItemsBuffered: 2, ItemsDuplicate: 1 })]);
  });

  it('puts the metrics of each batch in a blob of its own, with its batch id and unit', () => {
    // given two batches that closed and one that was submitted
    const { metrics, blobs } = recorder();
    metrics.add('BatchesClosed', 1, { batchId: 'b1' });
    metrics.add('BatchesClosed', 1, { batchId: 'b2' });
    metrics.add('SubmitLatency', 250, { batchId: 'b1' });

    // when they are published
    metrics.publishStoredMetrics();

    // then each batch id names one blob, with its metrics and their units
    expect(blobs().map((b) => [b.batchId, b.BatchesClosed, b.SubmitLatency])).toEqual([
      ['b1', 1, 250],
      ['b2', 1, undefined],
    ]);
    expect(blobs()[0]._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'BatchesClosed', Unit: 'Count' },
      { Name: 'SubmitLatency', Unit: 'Milliseconds' },
    ]);
  });

  it('keeps the Reason dimension when Powertools flushes a metric by itself at 100 values', () => {
    // given more values of one per-reason metric than Powertools holds in one blob
    const { metrics, blobs } = recorder();
    for (let i = 0; i < 150; i += 1) metrics.add('ItemsRejected', 1, { reason: 'unparseable' });

    // when the rest are published
    metrics.publishStoredMetrics();

    // then every per-reason blob still carries the dimension, and no value is lost
    const perReason = blobs().filter((b) => b._aws.CloudWatchMetrics[0].Dimensions[0].length > 1);
    expect(perReason.length).toBeGreaterThan(1);
    expect(perReason.map((b) => b.Reason)).toEqual(perReason.map(() => 'unparseable'));
    const total = (bs: Emf[]) => bs.flatMap((b) => b.ItemsRejected as number[]).length;
    expect(total(perReason)).toBe(150);
    expect(total(blobs()) - total(perReason)).toBe(150);
  });
});
