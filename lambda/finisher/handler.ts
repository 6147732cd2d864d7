import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { s3Client } from '../../lib/contracts/aws-clients';
import { FINISHER_ENV, FINISHER_SERVICE } from '../../lib/contracts/finisher-env';
import { DEFAULT_METRICS_NAMESPACE } from '../../lib/contracts/metrics-namespace';
import { BatchStore } from './batch-store';
import { CompletionNotifier } from './completion-notifier';
import { FinisherConfig, loadConfig } from './config';
import { finishBatch, FinishResult, FinisherPorts } from './finish-batch';
import { LineSink, stdoutSink } from '../shared/line-sink';
import { SinkLogger } from '../shared/sink-logger';
import { SinkMetrics } from '../shared/sink-metrics';

export type FinisherHandler = (event: unknown, context: Context) => Promise<FinishResult>;

export interface HandlerOptions {
  /**
   * The function's environment, read at its first invocation.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Where its log and metric lines go. A host that is not Lambda (the local runtime) passes
   * its own, rather than capturing process.stdout, which its own logging also writes to.
   * @default stdoutSink
   */
  readonly sink?: LineSink;
}

function ports(config: FinisherConfig): FinisherPorts {
  return {
    resultsBucket: config.resultsBucket,
    store: new BatchStore(s3Client(), config.resultsBucket),
    notifier: new CompletionNotifier(
      new EventBridgeClient({}),
      config.eventBus,
      config.topicArn ? { client: new SNSClient({}), topicArn: config.topicArn } : undefined,
    ),
  };
}

/**
 * A handler with its own cold start. Every failure is thrown: EventBridge invokes
 * asynchronously, so Lambda retries the event and then sends it to the dead-letter queue with
 * the error's message, which names what was wrong.
 */
export function createHandler(options: HandlerOptions = {}): FinisherHandler {
  const env = options.env ?? process.env;
  const sink = options.sink ?? stdoutSink;
  const serviceName = env[FINISHER_ENV.serviceName] || FINISHER_SERVICE;
  const namespace = env[FINISHER_ENV.metricsNamespace] || DEFAULT_METRICS_NAMESPACE;
  // One logger for the function's life, so Powertools' cold_start is true only once.
  const logger = new SinkLogger(sink, { serviceName });
  const metricsOf = (status?: string) => {
    const metrics = new SinkMetrics(sink, { serviceName, namespace, logger });
    if (status) metrics.addDimension('Status', status);
    return metrics;
  };
  let cold: FinisherPorts | undefined;
  return async (event, context) => {
    logger.addContext(context);
    const totals = metricsOf();
    try {
      cold ??= ports(loadConfig(env));
      const result = await finishBatch(event, cold);
      logger.info(
        result.created ? 'batch summary written' : 'batch summary existed; event re-sent',
        { ...result },
      );
      totals.addMetric('BatchesFinished', MetricUnit.Count, 1);
      metricsOf(result.status)
        .addMetric('BatchesFinished', MetricUnit.Count, 1)
        .publishStoredMetrics();
      return result;
    } catch (error) {
      logger.error('batch not finished', error as Error);
      totals.addMetric('FinisherErrors', MetricUnit.Count, 1);
      throw error;
    } finally {
      totals.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}

export const handler: FinisherHandler = createHandler();
