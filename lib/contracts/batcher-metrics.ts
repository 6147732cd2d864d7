/**
 * The batcher's CloudWatch metrics, defined once for the Lambda that publishes them and the
 * dashboard that queries them. CloudWatch identifies a metric by namespace, name and the full
 * set of its dimensions: a query with one dimension more or less finds a different metric, so
 * both sides take the dimensions from here.
 */

/** The Powertools service name of the batcher: the `service` of its log lines and metrics. */
export const BATCHER_SERVICE = 'batcher';

/** Each metric and its unit. */
export const BATCHER_METRIC_UNITS = {
  /** New object versions placed in a batch. */
  ItemsBuffered: 'Count',
  /** Redelivered or already-claimed object versions. */
  ItemsDuplicate: 'Count',
  /** Objects skipped or messages not parseable, also per Reason. */
  ItemsRejected: 'Count',
  /** Batches closed, also per Reason. */
  BatchesClosed: 'Count',
  /** From a batch closed to its job recorded. */
  SubmitLatency: 'Milliseconds',
} as const;

export type BatcherMetricName = keyof typeof BATCHER_METRIC_UNITS;

/**
 * The dimensions of every metric's total. Powertools Metrics gives each metric the dimension
 * `service` with the service name, and no way to publish one without it.
 */
export const BATCHER_METRIC_DIMENSIONS: Readonly<Record<string, string>> = {
  service: BATCHER_SERVICE,
};

/** The dimension that ItemsRejected and BatchesClosed are also published by, besides the total. */
export const REASON_DIMENSION = 'Reason';
