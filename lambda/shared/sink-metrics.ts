import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import { LineSink, stdoutSink } from './line-sink';

/**
 * Powertools Metrics that hands its EMF blob to a sink when it publishes, instead of to the
 * Console of its own on stdout that no option replaces (see SinkLogger). CloudWatch Logs
 * extracts the metrics from the log lines, so a function needs no metrics client or permission.
 * Unlike Powertools' own flush it keeps the dimensions and metadata: they are what a blob stands
 * for, and Powertools also flushes by itself when a metric reaches 100 values, after which the
 * blob's later metrics would have lost them.
 */
export class SinkMetrics extends Metrics {
  constructor(
    private readonly sink: LineSink = stdoutSink,
    options: MetricsOptions = {},
  ) {
    super(options);
  }

  public override publishStoredMetrics(): this {
    try {
      if (!this.isDisabled() && this.hasStoredMetrics()) {
        this.sink(JSON.stringify(this.serializeMetrics()));
      }
    } finally {
      this.clearMetrics();
    }
    return this;
  }
}
