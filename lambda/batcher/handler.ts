import type { Context, SQSBatchResponse } from 'aws-lambda';
import { BatcherConfig, loadConfig } from './config';
import { BatcherClients, batcherClients, createBatcherContext } from './create-context';
import { routeEvent } from './route-event';
import type { SweepResult } from './sweep';

/** Past the invocation's deadline, so a lease never ends while its holder may still run. */
const LEASE_MARGIN_MS = 30_000;

let coldStart: { config: BatcherConfig; clients: BatcherClients } | undefined;

/** Entry point for both triggers: SQS deliveries and the once-a-minute EventBridge schedule. */
export async function handler(
  event: unknown,
  context: Context,
): Promise<SQSBatchResponse | SweepResult> {
  coldStart ??= {
    config: loadConfig(process.env),
    clients: batcherClients(),
  };
  const ctx = createBatcherContext(coldStart.config, coldStart.clients, {
    invocationId: context.awsRequestId,
    leaseUntil: () => Date.now() + context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
  });
  return routeEvent(event, ctx);
}
