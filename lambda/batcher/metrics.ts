import type { LineSink } from './logger';
import { stdoutSink } from './logger';

export type MetricName =
  'ItemsBuffered' | 'ItemsDuplicate' | 'ItemsRejected' | 'BatchesClosed' | 'SubmitLatency';
export type MetricUnit = 'Count' | 'Milliseconds';

/**
 * CloudWatch metrics as Embedded Metric Format log lines: CloudWatch Logs extracts them, so the
 * function needs no metrics client or extra permission
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Each metric is published without dimensions (the dashboard's totals) and, when given, per
 * dimension value (e.g. ItemsRejected per Reason).
 */
export class Metrics {
  constructor(
    private readonly namespace: string,
    private readonly sink: LineSink = stdoutSink,
    private readonly now: () => number = Date.now,
  ) {}

  put(
    name: MetricName,
    value: number,
    unit: MetricUnit = 'Count',
    dimension?: { readonly name: string; readonly value: string },
    properties: Readonly<Record<string, unknown>> = {},
  ): void {
    this.sink(
      JSON.stringify({
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [
            {
              Namespace: this.namespace,
              Dimensions: dimension ? [[], [dimension.name]] : [[]],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        ...properties,
        ...(dimension ? { [dimension.name]: dimension.value } : {}),
        [name]: value,
      }),
    );
  }
}
