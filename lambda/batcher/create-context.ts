import { BatchClient } from '@aws-sdk/client-batch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { dynamoClient, s3Client } from '../../lib/contracts/aws-clients';
import { BATCHER_SERVICE } from '../../lib/contracts/batcher-metrics';
import type { BatcherContext } from './batcher-context';
import type { BatcherConfig } from './config';
import { DynamoBufferStore } from './dynamo-buffer-store';
import { DEFAULT_SUBMIT_RETRY, JobSubmitter, RetryPolicy } from './job-submitter';
import { BatcherMetrics } from './batcher-metrics';
import { LineSink, stdoutSink } from '../shared/line-sink';
import { SinkLogger } from '../shared/sink-logger';
import { ManifestStore } from './manifest-store';

export interface BatcherClients {
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  /** Made by batcherClients(), which switches the SDK's own SubmitJob retries off. */
  readonly batch: BatchClient;
}

/**
 * The clients every batcher run needs (the Lambda, the CLI's backfill, the local runtime). The
 * Batch client gets maxAttempts 1: the SDK's own retry would resubmit without the job-name
 * lookup that keeps SubmitJob from running twice; JobSubmitter retries instead.
 */
export function batcherClients(): BatcherClients {
  return { dynamo: dynamoClient(), s3: s3Client(), batch: new BatchClient({ maxAttempts: 1 }) };
}

export interface InvocationOptions {
  readonly invocationId: string;
  readonly leaseUntil: () => number;
  readonly now?: () => number;
  /** @default stdoutSink */
  readonly sink?: LineSink;
  /**
   * The function's logger, with this invocation's Lambda context added; the invocation id is
   * appended to its keys (which the function resets after each invocation).
   * @default a SinkLogger of its own on the sink
   */
  readonly logger?: SinkLogger;
  readonly submitRetry?: RetryPolicy;
}

export function createBatcherContext(
  config: BatcherConfig,
  clients: BatcherClients,
  options: InvocationOptions,
): BatcherContext {
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? Date.now;
  const log = options.logger ?? new SinkLogger(sink, { serviceName: BATCHER_SERVICE });
  log.appendKeys({ invocationId: options.invocationId });
  return {
    config,
    store: new DynamoBufferStore(clients.dynamo, config.bufferTable),
    manifests: new ManifestStore(clients.s3, config.resultsBucket),
    jobs: new JobSubmitter(
      clients.batch,
      config.jobQueue,
      config.inferJobDefinition,
      options.submitRetry ?? DEFAULT_SUBMIT_RETRY,
    ),
    log,
    metrics: new BatcherMetrics(config.metricsNamespace, sink, log),
    now,
    invocationId: options.invocationId,
    leaseUntil: options.leaseUntil,
  };
}
