import { BatchClient, SubmitJobCommand } from '@aws-sdk/client-batch';
import { Command, parseCommandArgs } from '../command';

const HELP = `usage: gbi retrain [--model NAME]

Submits the retrain job now: the stack's train job definition to its job queue, exactly what
the EventBridge schedule submits. The new version is promoted only if it beats the champion on
the same held-out data (see gbi models list afterwards).

options
  --model NAME   registry name to train (default: the job definition's, the stack's ModelName)`;

export const retrainCommand: Command = {
  name: 'retrain',
  summary: 'start the retrain job now',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('retrain', args, { model: { type: 'string' } });
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const stack = await context.stack();
    const model = parsed.values.model as string | undefined;
    const { jobId, jobName } = await new BatchClient({}).send(
      new SubmitJobCommand({
        jobName: 'manual-retrain',
        jobQueue: stack.jobQueue,
        jobDefinition: stack.trainJobDefinition,
        ...(model ? { parameters: { model } } : {}),
      }),
    );
    context.io.out(`submitted ${jobName} ${jobId} to ${stack.jobQueue}`);
    context.io.out('follow it with: gbi status; the new version appears in: gbi models list');
    return 0;
  },
};
