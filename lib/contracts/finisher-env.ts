/**
 * Environment variables the CDK stack sets on the finisher Lambda; the Lambda validates them at
 * cold start and names any bad one.
 */
export const FINISHER_ENV = {
  /** Bucket of manifests, shard summaries and batch.json. */
  resultsBucket: 'RESULTS_BUCKET',
  /** Name or ARN of the bus completion events go to; empty means the account's default bus. */
  eventBus: 'COMPLETION_EVENT_BUS',
  /** Optional SNS topic ARN for the human-readable notice; empty sends none. */
  topicArn: 'COMPLETION_TOPIC_ARN',
  /** Read by Powertools Metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Read by Powertools Logger and Metrics. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The bus EventBridge calls `default`: every account has it, PutEvents without a name uses it. */
export const DEFAULT_EVENT_BUS = 'default';

/** The Powertools service name of the finisher: the `service` of its log lines and metrics. */
export const FINISHER_SERVICE = 'gbi-finisher';
