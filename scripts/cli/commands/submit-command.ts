import { randomUUID } from 'node:crypto';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseS3Url } from '../../../lib/contracts/s3-location';
import { backfillPrefix } from '../../../lambda/batcher/backfill';
import { loadConfig } from '../../../lambda/batcher/config';
import { batcherClients, createBatcherContext } from '../../../lambda/batcher/create-context';
import { Command, parseCommandArgs, requiredOption } from '../command';
import { UsageError } from '../errors';

const HELP = `usage: gbi submit --prefix s3://<input-bucket>/<prefix>/

Backfill: batches every object already under the prefix (uploaded before the stack existed, or
whose notification was lost) through the batcher's own claim, manifest and SubmitJob path.
Objects already in a batch are skipped, so running it twice submits nothing twice.

options
  --prefix URL   s3:// URL inside the stack's input bucket and input prefix (required)

example
  gbi submit --prefix s3://my-input-bucket/incoming/2024-05/`;

/** Mirrors the Lambda: its environment from the deployed function's configuration. */
async function batcherEnvironment(functionName: string): Promise<Record<string, string>> {
  const config = await new LambdaClient({}).send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
  );
  return config.Environment?.Variables ?? {};
}

export const submitCommand: Command = {
  name: 'submit',
  summary: 'backfill: batch the objects already under an S3 prefix',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('submit', args, { prefix: { type: 'string' } });
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const url = requiredOption(parsed, 'submit', 'prefix', 's3:// URL of the objects to batch');
    let location;
    try {
      location = parseS3Url(url);
    } catch (error) {
      throw new UsageError(`submit: --prefix: ${(error as Error).message}`);
    }
    const stack = await context.stack();
    if (location.bucket !== stack.inputBucket) {
      throw new UsageError(
        `submit: --prefix: bucket '${location.bucket}' is not the stack's input bucket '${stack.inputBucket}' (the worker may read only that one)`,
      );
    }
    if (!location.key.startsWith(stack.inputPrefix)) {
      throw new UsageError(
        `submit: --prefix: '${location.key}' is outside the input prefix '${stack.inputPrefix}'`,
      );
    }
    const config = loadConfig(await batcherEnvironment(stack.batcherFunction));
    const clients = batcherClients();
    const ctx = createBatcherContext(config, clients, {
      invocationId: `cli-backfill-${randomUUID()}`,
      // A CLI run has no invocation deadline; leases last 15 minutes (Lambda's longest run),
      // so a concurrent batcher takes over a batch only if this process died holding it.
      leaseUntil: () => Date.now() + 15 * 60_000,
      sink: () => undefined,
    });
    const result = await backfillPrefix(location, clients.s3, ctx);
    context.io.out(
      `listed ${result.listed}, skipped ${result.skipped} (outside the input filter), already batched ${result.duplicates}`,
    );
    if (result.batches.length === 0) context.io.out('no new batch: nothing left to submit');
    for (const batch of result.batches) {
      context.io.out(`batch ${batch.batchId}: ${batch.outcome}`);
    }
    return 0;
  },
};
