import {
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';

/**
 * moto's event source mapping receives each SQS message as it arrives, "invokes" the function
 * (a no-op without Docker) and deletes the message, so uploads would vanish unprocessed. The
 * mappings of the stack's functions are disabled; the local batcher receives in their place
 * with their settings (scripts/local/batcher/local-batcher.ts). Returns the functions affected.
 */
export async function disableEventSourceMappings(
  functionNames: readonly string[],
  lambda = new LambdaClient({}),
): Promise<string[]> {
  const disabled: string[] = [];
  for (const functionName of functionNames) {
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: functionName }),
    );
    for (const mapping of EventSourceMappings) {
      if (mapping.State === 'Disabled') continue;
      await lambda.send(
        new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }),
      );
      disabled.push(functionName);
    }
  }
  return disabled;
}
