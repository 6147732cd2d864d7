import { s3Client } from '../../../lib/contracts/aws-clients';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { inputShape } from '../../../container/src/model/validate-metadata';
import { CliContext, parseCommandArgs } from '../command';
import { UsageError } from '../errors';
import { importModel } from '../import/import-model';
import { ImportSpec, SpecFlags, specFromFlags } from '../import/import-spec';
import { readLabelsFile, readMetadataFile } from '../import/read-import-spec';
import { modelSource } from '../import/model-source';

export const MODELS_IMPORT_HELP = `usage: gbi models import <model-dir | s3://prefix/> [--metadata FILE] [metadata flags] [--version ID] [--promote] [--model NAME]

Registers a TensorFlow.js layers or graph model (model.json plus weight shards, as
tensorflowjs_converter writes them) or a TensorFlow SavedModel (saved_model.pb plus variables/, as
tf.saved_model.save and Keras write them; no converter needed) as a new immutable version, after
checking that every file is there (shards of the declared size), that a SavedModel's graph holds
no file, network or process op, and that the model loads and warms up on the worker's backend (a
SavedModel needs the native one, tfjs-node). Nothing is written when a check fails.

metadata (flags win over --metadata FILE, a JSON object of the same fields; docs/operations.md)
  --input image|features     what a record is
  --shape HxWxC | N          input of one record: height x width x channels (1 grayscale, 3 colour),
                             or the number of features
  --scale X --offset Y       image pixel (0..255) * scale + offset (offset default 0)
  --mean A,B,C --std A,B,C   then (value - mean) / std per channel, in the model's channel order
  --channel-order RGB|BGR    colour channel order of the model's input (default RGB)
  --labels a,b,c             one label per model output, in output order
  --labels-file FILE         the same, one label a line
  --top-k N                  labels per result when a job sets no --top-k (default 3)
  --signature NAME           a SavedModel's signature to score with (default serving_default)

options
  --version ID      version id (default: a new time-ordered id)
  --promote         make the new version the champion (recorded in the promotion history)
  --reason TEXT     the history's reason for --promote (default: the command)
  --model NAME      registry name (default: the stack's ModelName output)

example
  gbi models import ./tfjs_model --input image --shape 224x224x3 --scale 0.00392156862745098 \\
    --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --labels-file labels.txt --promote`;

const SPEC_FLAGS = [
  'input',
  'shape',
  'scale',
  'offset',
  'mean',
  'std',
  'channel-order',
  'labels',
  'top-k',
  'signature',
] as const;

async function specOf(values: Record<string, string | boolean | undefined>): Promise<ImportSpec> {
  const fromFile =
    typeof values.metadata === 'string' ? await readMetadataFile(values.metadata) : {};
  const flags = Object.fromEntries(
    SPEC_FLAGS.filter((flag) => typeof values[flag] === 'string').map((flag) => [
      flag,
      values[flag],
    ]),
  ) as SpecFlags;
  if (flags.labels !== undefined && typeof values['labels-file'] === 'string') {
    throw new UsageError('models import: give --labels or --labels-file, not both');
  }
  const labelsFile =
    typeof values['labels-file'] === 'string'
      ? { labels: await readLabelsFile(values['labels-file']) }
      : {};
  return { ...fromFile, ...labelsFile, ...specFromFlags(flags) };
}

/** `gbi models import`: the models command hands it the arguments after 'import'. */
export async function runModelsImport(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandArgs(
    'models import',
    args,
    {
      ...Object.fromEntries(SPEC_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      'labels-file': { type: 'string' },
      metadata: { type: 'string' },
      version: { type: 'string' },
      promote: { type: 'boolean' },
      reason: { type: 'string' },
      model: { type: 'string' },
    },
    1,
  );
  const { io } = context;
  if (parsed.help) {
    io.out(MODELS_IMPORT_HELP);
    return 0;
  }
  const [location] = parsed.positionals;
  if (location === undefined) {
    throw new UsageError('models import: expected the model directory (a folder or s3:// prefix)');
  }
  const { values } = parsed;
  if (values.reason !== undefined && values.promote !== true) {
    throw new UsageError('models import: --reason goes with --promote');
  }
  const spec = await specOf(values);
  const stack = await context.stack();
  const s3 = s3Client();
  const registry = new ModelRegistry(
    s3,
    stack.modelBucket,
    (values.model as string | undefined) ?? stack.modelName,
  );
  // Loaded here, not at the top: importing the backends registers wasm as tfjs's preferred
  // backend, which every other command (and code sharing their process) would then have to await.
  const { selectBackend } = await import('../../../container/src/backend/select-backend');
  await selectBackend('infer', (line) => io.out(line));
  const { metadata, promotion } = await importModel({
    source: modelSource(location, s3),
    spec,
    registry,
    version: values.version as string | undefined,
    promoteReason:
      values.promote === true
        ? ((values.reason as string | undefined) ?? `gbi models import ${args.join(' ')}`)
        : undefined,
  });
  io.out(
    `imported ${metadata.name}@${metadata.version} from ${metadata.importedFrom}: ${metadata.format} model, ${metadata.input.kind} input ${inputShape(metadata).join('x')}, ${metadata.labels.length} labels, SHA-256 of ${Object.keys(metadata.sha256 ?? {}).length} files recorded`,
  );
  if (promotion) {
    io.out(
      `promote: ${metadata.name} champion is now ${promotion.version}${promotion.previousVersion ? ` (was ${promotion.previousVersion})` : ''}`,
    );
  }
  return 0;
}
