import type { S3Client } from '@aws-sdk/client-s3';
import type * as tf from '@tensorflow/tfjs';
import { modelKeys } from '../../../lib/contracts/keys';
import {
  ModelMetadata,
  ModelMetrics,
  REGISTRY_SCHEMA_VERSION,
} from '../../../lib/contracts/registry';
import { formatS3Url, joinKey } from '../../../lib/contracts/s3-location';
import type { NativeVariant } from '../../native/native-location';
import { ModelRegistry } from '../registry/model-registry';
import { decidePromotion } from '../registry/promotion-gate';
import { readJson } from '../registry/s3-json';
import { newVersionId } from '../registry/version-id';
import { ArchitectureSpec, buildModel, DEFAULT_ARCHITECTURES, inputShape } from './architecture';
import { DataIssues } from './data-issues';
import { DiskObjectCache } from './disk-object-cache';
import { EmptyDatasetError, TrainConfigError, TrainingStoppedError } from './errors';
import { evaluateModel } from './evaluate-model';
import { EpochLog, fitModel } from './fit-model';
import { labelIndex, Sample } from './sample';
import { Split, streamSamples } from './sample-stream';
import { listDataObjects } from './s3-data-listing';
import { seededRandom } from './seeded-random';
import { randomlyShifted } from './shift-augmentation';
import { shuffleThroughBuffer } from './shuffle-buffer';
import {
  countLabels,
  folderLabels,
  objectListEntry,
  shuffleCapacity,
} from './training-data-summary';
import { resolveTrainingConfig, TrainingConfig } from './training-config';

export const TRAINING_CONFIG_FILE = 'training-config.json';

export interface TrainingJob {
  readonly s3: S3Client;
  /** The model bucket: registry and training data. */
  readonly bucket: string;
  readonly modelName: string;
  /** Where the labelled data lives, e.g. `training/digits/`. */
  readonly trainingPrefix: string;
  /** Command-line flags overriding the model's training-config.json. */
  readonly flags: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
  readonly clock?: () => Date;
  /** Aborted on SIGTERM: the run stops between mini-batches and registers nothing. */
  readonly stop?: AbortSignal;
  /**
   * The native binding the backend runs on: images decode through its TensorFlow ops, as the
   * worker's do on the same backend; absent (wasm), through the JavaScript decoders.
   */
  readonly native?: NativeVariant;
}

export interface TrainingOutcome {
  readonly version: string;
  readonly promoted: boolean;
  readonly reason: string;
  readonly metrics: ModelMetrics;
  /** The champion's metrics on the same held-out samples, when there was a champion. */
  readonly championMetrics?: ModelMetrics;
  readonly epochs: readonly EpochLog[];
  readonly trainSamples: number;
  readonly skipped: ReturnType<DataIssues['summary']>;
}

/** Where a model's optional training-config.json lives in the model bucket. */
export function trainingConfigKey(modelName: string): string {
  return joinKey(modelKeys.root(modelName), TRAINING_CONFIG_FILE);
}

/**
 * One retraining run: fine-tune the champion (or build the configured architecture), stream
 * the labelled data from S3, register the result as a new immutable version and promote it
 * only if it beats the champion on the same held-out samples. Any failure before the version
 * is registered leaves the registry untouched.
 */
export async function runTraining(job: TrainingJob): Promise<TrainingOutcome> {
  const clock = job.clock ?? (() => new Date());
  const registry = new ModelRegistry(job.s3, job.bucket, job.modelName, clock);
  const configKey = trainingConfigKey(job.modelName);
  const config = resolveTrainingConfig(
    await readJson(job.s3, job.bucket, configKey),
    formatS3Url({ bucket: job.bucket, key: configKey }),
    job.flags,
  );
  const cache =
    config.diskCacheMb > 0 ? await DiskObjectCache.create(config.diskCacheMb * 2 ** 20) : undefined;
  try {
    return await trainAndRegister({ job, config, registry, configKey, clock, cache });
  } finally {
    await cache?.dispose();
  }
}

interface TrainingRun {
  readonly job: TrainingJob;
  readonly config: TrainingConfig;
  readonly registry: ModelRegistry;
  readonly configKey: string;
  readonly clock: () => Date;
  readonly cache: DiskObjectCache | undefined;
}

async function trainAndRegister(run: TrainingRun): Promise<TrainingOutcome> {
  const { job, config, registry, configKey, clock, cache } = run;
  const source = formatS3Url({ bucket: job.bucket, key: job.trainingPrefix });
  const issues = new DataIssues(job.log);
  const objects = await listDataObjects(job.s3, job.bucket, job.trainingPrefix, issues);
  if (objects.length === 0) {
    throw new EmptyDatasetError(
      `no training data under ${source} (${issues.total()} objects skipped as unusable)`,
    );
  }

  const champion = await registry.championMetadata();
  if (champion && champion.format !== 'layers') {
    throw new TrainConfigError(
      `champion ${champion.name}@${champion.version} is a ${champion.format} model; only layers models can be fine-tuned`,
    );
  }
  const first = champion ? undefined : firstModelPlan(config, objects, job, configKey);
  const input = champion?.input ?? first!.architecture.input;
  const labels = champion?.labels ?? first!.labels;
  const shape = inputShape(input);
  const counts: Record<string, number> = {};
  const firstPass = { train: true, validation: true };
  const stream = (split: Split): AsyncIterable<Sample> => {
    const first = firstPass[split];
    firstPass[split] = false;
    const samples = streamSamples({
      s3: job.s3,
      bucket: job.bucket,
      objects,
      input,
      labels: labelIndex(labels),
      labelColumn: config.labelColumn,
      validationFraction: config.validationFraction,
      split,
      concurrency: config.concurrency,
      ...(cache ? { cache } : {}),
      ...(job.native ? { native: job.native } : {}),
      // Problems and label counts are recorded on each split's first pass only.
      ...(first ? { issues } : {}),
    });
    return first ? countLabels(samples, labels, counts) : samples;
  };
  const capacity = shuffleCapacity(
    config.shuffleBufferSize,
    config.memoryCapMb,
    shape.reduce((a, b) => a * b, 1),
  );
  const data = {
    train: (epoch: number) => {
      const shuffled = shuffleThroughBuffer(
        stream('train'),
        capacity,
        seededRandom(config.seed + epoch),
      );
      if (input.kind !== 'image' || config.augmentShift === 0) return shuffled;
      // A seed of its own (the complement), so the shifts do not replay the shuffle's draws.
      const random = seededRandom(~(config.seed + epoch));
      return randomlyShifted(shuffled, input, config.augmentShift, random);
    },
    validation: () => stream('validation'),
  };
  const fitOptions = { ...config, shape, classCount: labels.length, stop: job.stop };

  let model: tf.LayersModel;
  let championMetrics: ModelMetrics | undefined;
  if (champion) {
    // A champion from before recorded hashes is the one version retraining may start from
    // unverified: that is how a registry gets its first verified version after an upgrade.
    model = await registry.loadLayersModel(champion.version, (unverified) =>
      job.log(
        JSON.stringify({
          event: 'champion-unverified',
          version: unverified.version,
          reason: 'registered before SHA-256 hashes were recorded; fine-tuning from it unverified',
        }),
      ),
    );
    championMetrics = await evaluateModel(
      model,
      data.validation(),
      config.batchSize,
      shape,
      labels.length,
    );
    job.log(
      JSON.stringify({ event: 'champion-baseline', version: champion.version, ...championMetrics }),
    );
  } else {
    model = buildModel(first!.architecture, labels.length, config.seed);
  }
  const fit = await fitModel(model, data, fitOptions, (epoch) =>
    job.log(JSON.stringify({ event: 'epoch', ...epoch })),
  );
  if (fit.trainSamples === 0) {
    throw new EmptyDatasetError(
      `no readable training samples under ${source}: ${JSON.stringify(issues.summary().counts)}`,
    );
  }
  if (fit.metrics.validationSamples === 0) {
    throw new EmptyDatasetError(
      `no validation samples under ${source}: validationFraction ${config.validationFraction} of ${fit.trainSamples} samples held out none`,
    );
  }

  const version = newVersionId(clock());
  const metadata: ModelMetadata = {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name: job.modelName,
    version,
    format: 'layers',
    input,
    labels,
    createdAt: clock().toISOString(),
    metrics: fit.metrics,
    trainingData: { source, objectCount: objects.length, countsByLabel: counts },
    ...(champion ? { parentVersion: champion.version } : {}),
  };
  // The last clean point: once registration starts it completes, so no half-written version.
  if (job.stop?.aborted) {
    throw new TrainingStoppedError('stopped after training; nothing was written to the registry');
  }
  await registry.registerVersion(model, metadata, objects.map(objectListEntry));
  const decision = decidePromotion(fit.metrics, championMetrics, config.promotionMargin);
  if (decision.promote) await registry.promote(version, decision.reason);
  else await registry.reject(version, decision.reason);
  model.dispose();
  return {
    version,
    promoted: decision.promote,
    reason: decision.reason,
    metrics: fit.metrics,
    ...(championMetrics ? { championMetrics } : {}),
    epochs: fit.epochs,
    trainSamples: fit.trainSamples,
    skipped: issues.summary(),
  };
}

function firstModelPlan(
  config: TrainingConfig,
  objects: Parameters<typeof folderLabels>[0],
  job: TrainingJob,
  configKey: string,
): { architecture: ArchitectureSpec; labels: readonly string[] } {
  const architecture = config.architecture ?? DEFAULT_ARCHITECTURES[job.modelName];
  if (!architecture) {
    throw new TrainConfigError(
      `model '${job.modelName}' has no champion to fine-tune and no architecture: set 'architecture' in s3://${job.bucket}/${configKey} or pass --architecture`,
    );
  }
  const labels = config.labels ?? folderLabels(objects);
  if (labels.length < 2) {
    throw new TrainConfigError(
      `model '${job.modelName}': found ${labels.length} label(s) (${labels.join(', ')}); a classifier needs at least two: add label folders under ${job.trainingPrefix} or set 'labels' in the training config`,
    );
  }
  return { architecture, labels };
}
