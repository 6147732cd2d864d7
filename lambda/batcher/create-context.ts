import { BatchClient } from '@aws-sdk/client-batch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { dynamoClient, s3Client } from '../../lib/contracts/aws-clients';
import type { BatcherContext } from './batcher-context';
import type { BatcherConfig } from './config';
import { DynamoBufferStore } from './dynamo-buffer-store';
import { DEFAULT_SUBMIT_RETRY, JobSubmitter, RetryPolicy } from './job-submitter';
import { LineSink, Logger, stdoutSink } from './logger';
import { ManifestStore } from './manifest-store';
import { Metrics } from './metrics';

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
  readonly sink?: LineSink;
  readonly submitRetry?: RetryPolicy;
}

export function createBatcherContext(
  config: BatcherConfig,
  clients: BatcherClients,
  options: InvocationOptions,
): BatcherContext {
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? Date.now;
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
    log: new Logger(sink, { invocationId: options.invocationId }),
    metrics: new Metrics(config.metricsNamespace, sink, now),
    now,
    invocationId: options.invocationId,
    leaseUntil: options.leaseUntil,
  };
}
