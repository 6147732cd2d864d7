import type { Context, SQSBatchResponse } from 'aws-lambda';
import { BatcherConfig, loadConfig } from './config';
import { BatcherClients, batcherClients, createBatcherContext } from './create-context';
import { BATCHER_SERVICE } from '../../lib/contracts/batcher-metrics';
import { LineSink, stdoutSink } from '../shared/line-sink';
import { SinkLogger } from '../shared/sink-logger';
import { routeEvent } from './route-event';
import type { SweepResult } from './sweep';

/** Past the invocation's deadline, so a lease never ends while its holder may still run. */
const LEASE_MARGIN_MS = 30_000;

export type BatcherHandler = (
  event: unknown,
  context: Context,
) => Promise<SQSBatchResponse | SweepResult>;

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

/** A handler with its own cold start: configuration and clients made once, on first use. */
export function createHandler(options: HandlerOptions = {}): BatcherHandler {
  const sink = options.sink ?? stdoutSink;
  // One logger for the function's life, so Powertools' cold_start is true only in the first
  // invocation (a child logger, made per invocation, would count its own first as cold).
  const logger = new SinkLogger(sink, { serviceName: BATCHER_SERVICE });
  let coldStart: { config: BatcherConfig; clients: BatcherClients } | undefined;
  return async (event, context) => {
    coldStart ??= {
      config: loadConfig(options.env ?? process.env),
      clients: batcherClients(),
    };
    logger.addContext(context);
    const ctx = createBatcherContext(coldStart.config, coldStart.clients, {
      invocationId: context.awsRequestId,
      leaseUntil: () => Date.now() + context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
      sink,
      logger,
    });
    try {
      return await routeEvent(event, ctx);
    } finally {
      logger.resetKeys();
    }
  };
}

/** Entry point for both triggers: SQS deliveries and the once-a-minute EventBridge schedule. */
export const handler: BatcherHandler = createHandler();
