import { s3Client } from '../../../lib/contracts/aws-clients';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import {
  NoChampionError,
  NoEarlierChampionError,
  VersionNotFoundError,
} from '../../../container/src/registry/errors';
import { Command, parseCommandArgs } from '../command';
import { MissingResourceError, UsageError } from '../errors';
import { runModelsImport } from './models-import';

const HELP = `usage: gbi models <list | promote <version> | rollback [<version>]> [--model NAME] [--reason TEXT]
       gbi models import <model-dir | s3://prefix/> [options]   (gbi models import --help)

The model registry in the stack's model bucket.
  import <dir>         register a TensorFlow.js model from elsewhere (Keras, say) as a new version
  list                 every version with its validation metrics; * marks the champion;
                       then the promotion history
  promote <version>    make that version the champion (inference jobs pick it up at start)
  rollback             return to the champion the current one replaced
  rollback <version>   make an earlier version the champion again

options
  --model NAME    registry name (default: the stack's ModelName output)
  --reason TEXT   recorded in the promotion history (default: the command)`;

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

/** Registry errors become the CLI's missing-resource error, keeping their message. */
async function registryCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof VersionNotFoundError ||
      error instanceof NoChampionError ||
      error instanceof NoEarlierChampionError
    ) {
      throw new MissingResourceError(error.message);
    }
    throw error;
  }
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list model versions, import one, promote one, roll back',
  help: HELP,
  async run(args, context) {
    if (args[0] === 'import') return runModelsImport(args.slice(1), context);
    const parsed = parseCommandArgs(
      'models',
      args,
      { model: { type: 'string' }, reason: { type: 'string' } },
      2,
    );
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const [action, version] = parsed.positionals;
    if (!action)
      throw new UsageError(
        'models: expected list, import <dir>, promote <version> or rollback [<version>]',
      );
    if (!['list', 'promote', 'rollback'].includes(action)) {
      throw new UsageError(
        `models: unknown action '${action}' (expected list, import, promote or rollback)`,
      );
    }
    if (action === 'list' && version !== undefined) {
      throw new UsageError(`models list: unexpected argument '${version}'`);
    }
    if (action === 'promote' && version === undefined) {
      throw new UsageError('models promote: expected the version to promote (see gbi models list)');
    }
    const stack = await context.stack();
    const name = (parsed.values.model as string | undefined) ?? stack.modelName;
    const registry = new ModelRegistry(s3Client(), stack.modelBucket, name);
    const reason = (parsed.values.reason as string | undefined) ?? `gbi models ${args.join(' ')}`;
    const { io } = context;
    if (action === 'list') {
      const [versions, champion, history] = await Promise.all([
        registry.listVersions(),
        registry.champion(),
        registry.history(),
      ]);
      if (versions.length === 0) {
        io.out(`model ${name}: no versions in s3://${stack.modelBucket} yet (run gbi retrain)`);
        return 0;
      }
      io.out(`model ${name} in s3://${stack.modelBucket}`);
      for (const v of versions) {
        io.out(
          `${v.version === champion?.version ? '*' : ' '} ${v.version}  accuracy ${percent(v.metrics?.validationAccuracy)}  on ${v.metrics?.validationSamples ?? '-'} samples  created ${v.createdAt}${v.parentVersion ? `  from ${v.parentVersion}` : ''}${v.importedFrom ? `  imported from ${v.importedFrom}` : ''}`,
        );
      }
      io.out('history');
      for (const event of history) {
        io.out(
          `  ${event.at} ${event.event} ${event.version}${event.previousVersion ? ` (was ${event.previousVersion})` : ''}: ${event.reason}`,
        );
      }
      return 0;
    }
    const event = await registryCall(() =>
      action === 'promote'
        ? registry.promote(version!, reason)
        : version === undefined
          ? registry.rollback(reason)
          : registry.restore(version, reason),
    );
    io.out(
      `${event.event}: ${name} champion is now ${event.version}${event.previousVersion ? ` (was ${event.previousVersion})` : ''}`,
    );
    return 0;
  },
};
