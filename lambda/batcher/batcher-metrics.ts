import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import {
  BATCHER_METRIC_UNITS,
  BATCHER_SERVICE,
  BatcherMetricName,
  REASON_DIMENSION,
} from '../../lib/contracts/batcher-metrics';
import type { LineSink } from '../shared/line-sink';
import { SinkMetrics } from '../shared/sink-metrics';

export interface MetricContext {
  /** Also publishes the value under the Reason dimension, besides the total. */
  readonly reason?: string;
  /** A property of the EMF line (not a dimension), to find the batch from the metric. */
  readonly batchId?: string;
}

/**
 * One invocation's metrics, as CloudWatch Embedded Metric Format: CloudWatch Logs extracts them,
 * so the function needs no metrics client or permission
 * (Amazon CloudWatch User Guide, "Specification: Embedded metric format").
 * An EMF blob has one value per dimension and property, so metrics are stored in one Powertools
 * Metrics per set of them (the totals; each Reason; each batch) and published together, once,
 * at the end of the invocation.
 */
export class BatcherMetrics {
  private readonly blobs = new Map<string, SinkMetrics>();

  constructor(
    private readonly namespace: string,
    private readonly sink: LineSink,
    /** Receives Powertools' warnings (a metric or dimension it drops). */
    private readonly logger: MetricsOptions['logger'],
  ) {}

  add(name: BatcherMetricName, value: number, context: MetricContext = {}): void {
    const { reason, batchId } = context;
    const unit = BATCHER_METRIC_UNITS[name];
    this.blob(undefined, batchId).addMetric(name, unit, value);
    if (reason !== undefined) this.blob(reason, batchId).addMetric(name, unit, value);
  }

  /** Writes every stored metric; run once per invocation, after its work. */
  publishStoredMetrics(): void {
    for (const metrics of this.blobs.values()) metrics.publishStoredMetrics();
    this.blobs.clear();
  }

  private blob(reason: string | undefined, batchId: string | undefined): SinkMetrics {
    const key = JSON.stringify([reason, batchId]);
    let metrics = this.blobs.get(key);
    if (!metrics) {
      metrics = new SinkMetrics(this.sink, {
        namespace: this.namespace,
        serviceName: BATCHER_SERVICE,
        logger: this.logger,
      });
      if (reason !== undefined) metrics.addDimension(REASON_DIMENSION, reason);
      if (batchId !== undefined) metrics.addMetadata('batchId', batchId);
      this.blobs.set(key, metrics);
    }
    return metrics;
  }
}
