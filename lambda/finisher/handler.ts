import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { s3Client } from '../../lib/contracts/aws-clients';
import { FINISHER_ENV } from '../../lib/contracts/finisher-env';
import { BatchStore } from './batch-store';
import { CompletionNotifier } from './completion-notifier';
import { FinisherConfig, loadConfig } from './config';
import { finishBatch, FinishResult, FinisherPorts } from './finish-batch';

/** Service name of the finisher's logs and metrics, unless POWERTOOLS_SERVICE_NAME says otherwise. */
export const FINISHER_SERVICE = 'gbi-finisher';
export const DEFAULT_METRICS_NAMESPACE = 'GpuBatchInference';

export type FinisherHandler = (event: unknown, context: Context) => Promise<FinishResult>;

export interface HandlerOptions {
  /**
   * The function's environment, read at its first invocation.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default a Powertools Logger of FINISHER_SERVICE */
  readonly logger?: Logger;
  /** @default Powertools Metrics of FINISHER_SERVICE in DEFAULT_METRICS_NAMESPACE */
  readonly metrics?: Metrics;
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
  const logger = options.logger ?? new Logger({ serviceName: FINISHER_SERVICE });
  const metrics =
    options.metrics ??
    new Metrics({
      serviceName: FINISHER_SERVICE,
      namespace: env[FINISHER_ENV.metricsNamespace] || DEFAULT_METRICS_NAMESPACE,
    });
  let cold: FinisherPorts | undefined;
  return async (event, context) => {
    logger.addContext(context);
    try {
      cold ??= ports(loadConfig(env));
      const result = await finishBatch(event, cold);
      logger.info(
        result.created ? 'batch summary written' : 'batch summary existed; event re-sent',
        {
          ...result,
        },
      );
      metrics.addMetric('BatchesFinished', MetricUnit.Count, 1);
      metrics
        .singleMetric()
        .addDimension('Status', result.status)
        .addMetric('BatchesFinished', MetricUnit.Count, 1);
      return result;
    } catch (error) {
      logger.error('batch not finished', error as Error);
      metrics.addMetric('FinisherErrors', MetricUnit.Count, 1);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler: FinisherHandler = createHandler();
