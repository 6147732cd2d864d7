import { ARCHITECTURE_PRESETS, ArchitectureSpec } from './architecture';
import { TrainConfigError } from './errors';

/** Everything a training run can be told; defaults in DEFAULT_TRAINING_CONFIG. */
export interface TrainingConfig {
  /** Model to build when the registry has no champion; a preset name or a full spec. */
  readonly architecture?: ArchitectureSpec;
  /** Output classes in order; defaults to the champion's labels, else the data's label folders. */
  readonly labels?: readonly string[];
  readonly batchSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** Per-epoch learning-rate multiplier (1 = constant). */
  readonly learningRateDecay: number;
  /** Share of samples held out for validation, chosen by a hash of the sample id. */
  readonly validationFraction: number;
  /** Epochs without a validation-loss improvement before training stops. */
  readonly patience: number;
  /** Accuracy a challenger must gain over the champion, on the same hold-out, to be promoted. */
  readonly promotionMargin: number;
  /** Samples held in the shuffle buffer (further capped by memoryCapMb). */
  readonly shuffleBufferSize: number;
  /** Memory budget for buffered decoded samples. */
  readonly memoryCapMb: number;
  /** S3 objects fetched at once. */
  readonly concurrency: number;
  /** Local disk for image bodies between epochs, so each is fetched from S3 once (0 = off). */
  readonly diskCacheMb: number;
  readonly seed: number;
  /**
   * Largest random shift, in pixels, applied to each training image every epoch (0 = none).
   * Images only; validation samples are never shifted.
   */
  readonly augmentShift: number;
  /** Column (CSV) or field (JSONL) holding the label. */
  readonly labelColumn: string;
}

export const DEFAULT_TRAINING_CONFIG: TrainingConfig = {
  batchSize: 64,
  epochs: 12,
  learningRate: 0.002,
  learningRateDecay: 0.85,
  validationFraction: 0.2,
  patience: 3,
  promotionMargin: 0,
  shuffleBufferSize: 4096,
  memoryCapMb: 256,
  concurrency: 16,
  diskCacheMb: 2048,
  seed: 42,
  augmentShift: 2,
  labelColumn: 'label',
};

type NumericField = Exclude<keyof TrainingConfig, 'architecture' | 'labels' | 'labelColumn'>;

/** Each numeric field with its CLI flag and the range it must lie in. */
const NUMERIC_FIELDS: ReadonlyArray<{
  field: NumericField;
  flag: string;
  integer: boolean;
  min: number;
  max: number;
}> = [
  { field: 'batchSize', flag: '--batch-size', integer: true, min: 1, max: 65536 },
  { field: 'epochs', flag: '--epochs', integer: true, min: 1, max: 10000 },
  { field: 'learningRate', flag: '--learning-rate', integer: false, min: 1e-9, max: 10 },
  {
    field: 'learningRateDecay',
    flag: '--learning-rate-decay',
    integer: false,
    min: 0.01,
    max: 1,
  },
  {
    field: 'validationFraction',
    flag: '--validation-fraction',
    integer: false,
    min: 0.01,
    max: 0.9,
  },
  { field: 'patience', flag: '--patience', integer: true, min: 0, max: 10000 },
  { field: 'promotionMargin', flag: '--margin', integer: false, min: 0, max: 1 },
  { field: 'shuffleBufferSize', flag: '--shuffle-buffer', integer: true, min: 1, max: 1e8 },
  { field: 'memoryCapMb', flag: '--memory-cap-mb', integer: false, min: 1, max: 1e6 },
  { field: 'concurrency', flag: '--concurrency', integer: true, min: 1, max: 256 },
  { field: 'diskCacheMb', flag: '--disk-cache-mb', integer: false, min: 0, max: 1e7 },
  { field: 'seed', flag: '--seed', integer: true, min: 0, max: 2 ** 31 - 1 },
  { field: 'augmentShift', flag: '--augment-shift', integer: true, min: 0, max: 16 },
];

/**
 * Merges defaults, the model's training-config.json (if any) and command-line flags, in that
 * order of precedence; validates every field and reports all problems in one error.
 */
export function resolveTrainingConfig(
  file: unknown,
  fileSource: string,
  flags: Readonly<Record<string, string>>,
): TrainingConfig {
  const errors: string[] = [];
  if (file !== undefined && (typeof file !== 'object' || file === null || Array.isArray(file))) {
    throw new TrainConfigError(`${fileSource}: must be a JSON object`);
  }
  const fromFile = (file ?? {}) as Record<string, unknown>;
  const known = new Set<string>([
    ...NUMERIC_FIELDS.map((f) => f.field),
    'architecture',
    'labels',
    'labelColumn',
  ]);
  for (const key of Object.keys(fromFile)) {
    if (!known.has(key)) errors.push(`${fileSource}: unknown field '${key}'`);
  }
  const config: Record<string, unknown> = { ...DEFAULT_TRAINING_CONFIG };
  for (const { field, flag, integer, min, max } of NUMERIC_FIELDS) {
    const flagValue = flags[flag];
    const raw = flagValue !== undefined ? Number(flagValue) : fromFile[field];
    if (raw === undefined) continue;
    const where = flagValue !== undefined ? `flag ${flag}` : `${fileSource}: ${field}`;
    if (typeof raw !== 'number' || !Number.isFinite(raw) || (integer && !Number.isInteger(raw))) {
      errors.push(
        `${where}: expected ${integer ? 'an integer' : 'a number'}, got '${flagValue ?? JSON.stringify(raw)}'`,
      );
    } else if (raw < min || raw > max) {
      errors.push(`${where}: ${raw} is outside ${min}..${max}`);
    } else {
      config[field] = raw;
    }
  }
  const labelColumn = flags['--label-column'] ?? fromFile.labelColumn;
  if (labelColumn !== undefined) {
    if (typeof labelColumn !== 'string' || labelColumn.length === 0) {
      errors.push(`labelColumn: expected a non-empty string`);
    } else {
      config.labelColumn = labelColumn;
    }
  }
  if (fromFile.labels !== undefined) {
    const labels = fromFile.labels;
    if (
      !Array.isArray(labels) ||
      labels.length < 2 ||
      labels.some((l) => typeof l !== 'string' || l.length === 0) ||
      new Set(labels).size !== labels.length
    ) {
      errors.push(`${fileSource}: labels must be at least two distinct non-empty strings`);
    } else {
      config.labels = labels;
    }
  }
  const architecture = flags['--architecture'] ?? fromFile.architecture;
  if (architecture !== undefined) {
    const where =
      flags['--architecture'] !== undefined ? 'flag --architecture' : `${fileSource}: architecture`;
    const resolved = resolveArchitecture(architecture, where, errors);
    if (resolved) config.architecture = resolved;
  }
  if (errors.length > 0) {
    throw new TrainConfigError(`invalid training config:\n  ${errors.join('\n  ')}`);
  }
  return config as unknown as TrainingConfig;
}

function resolveArchitecture(
  value: unknown,
  where: string,
  errors: string[],
): ArchitectureSpec | undefined {
  if (typeof value === 'string') {
    const preset = ARCHITECTURE_PRESETS[value];
    if (!preset) {
      errors.push(
        `${where}: unknown preset '${value}' (known: ${Object.keys(ARCHITECTURE_PRESETS).join(', ')})`,
      );
    }
    return preset;
  }
  const spec = value as Partial<Record<string, unknown>> | null;
  if (!spec || typeof spec !== 'object') {
    errors.push(`${where}: expected a preset name or an object`);
    return undefined;
  }
  const before = errors.length;
  const positiveInts = (field: string, list: unknown, allowEmpty: boolean) => {
    if (
      !Array.isArray(list) ||
      (!allowEmpty && list.length === 0) ||
      list.some((n) => !Number.isInteger(n) || (n as number) < 1)
    ) {
      errors.push(`${where}.${field}: expected a list of positive integers`);
    }
  };
  if (typeof spec.dropout !== 'number' || spec.dropout < 0 || spec.dropout >= 1) {
    errors.push(`${where}.dropout: expected a number in 0..1 (exclusive of 1)`);
  }
  const input = spec.input as Record<string, unknown> | undefined;
  if (spec.kind === 'cnn') {
    positiveInts('convFilters', spec.convFilters, false);
    positiveInts('denseUnits', spec.denseUnits, true);
    if (!Number.isInteger(spec.kernelSize) || (spec.kernelSize as number) < 1) {
      errors.push(`${where}.kernelSize: expected a positive integer`);
    }
    if (
      !input ||
      input.kind !== 'image' ||
      !Number.isInteger(input.width) ||
      !Number.isInteger(input.height) ||
      (input.channels !== 1 && input.channels !== 3) ||
      typeof input.scale !== 'number' ||
      typeof input.offset !== 'number'
    ) {
      errors.push(
        `${where}.input: expected {kind:'image', width, height, channels: 1|3, scale, offset}`,
      );
    }
  } else if (spec.kind === 'mlp') {
    positiveInts('hiddenUnits', spec.hiddenUnits, true);
    if (
      !input ||
      input.kind !== 'features' ||
      !Number.isInteger(input.size) ||
      (input.size as number) < 1
    ) {
      errors.push(`${where}.input: expected {kind:'features', size, names?}`);
    }
  } else {
    errors.push(`${where}.kind: expected 'cnn' or 'mlp'`);
  }
  return errors.length === before ? (spec as unknown as ArchitectureSpec) : undefined;
}

export const TRAIN_FLAGS = [
  '--model',
  '--architecture',
  '--label-column',
  ...NUMERIC_FIELDS.map((f) => f.flag),
] as const;

/** Parses `--flag value` pairs; `--model` is required by the caller. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined || value.startsWith('--')) {
      throw new TrainConfigError(
        `arguments: expected '--flag value' pairs, got '${argv.slice(i).join(' ')}'`,
      );
    }
    if (!(TRAIN_FLAGS as readonly string[]).includes(flag)) {
      throw new TrainConfigError(
        `arguments: unknown flag '${flag}' (known: ${TRAIN_FLAGS.join(', ')})`,
      );
    }
    flags[flag] = value;
  }
  return flags;
}
