import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { modelKeys } from '../../lib/contracts/keys';
import {
  ChampionPointer,
  InputSpec,
  ModelMetadata,
  REGISTRY_SCHEMA_VERSION,
} from '../../lib/contracts/registry';
import { joinKey } from '../../lib/contracts/s3-location';
import { s3ModelWriter } from '../../container/src/model/s3-io-handler';

export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The default model's input: 28x28 grayscale digits, pixels scaled to 0..1. */
export const DIGITS_INPUT: InputSpec = {
  kind: 'image',
  width: 28,
  height: 28,
  channels: 1,
  scale: 1 / 255,
  offset: 0,
};

/**
 * A small CNN shaped like the default digits model (28x28x1 in, 10 softmax scores out), with
 * seeded random weights: its predictions are meaningless but deterministic.
 */
export function digitsCnn(seed = 7): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed + offset });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(0),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
}

/** A dense model over `size` numeric features, for JSON/JSONL/CSV inputs. */
export function featuresModel(size: number, classes: number, seed = 11): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [size],
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: classes,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

export interface PublishOptions {
  readonly name: string;
  readonly version: string;
  readonly input: InputSpec;
  readonly labels: readonly string[];
  /** Point champion.json at this version. */
  readonly champion: boolean;
  /** Leave the SHA-256 digests out, as in versions registered before they were recorded. */
  readonly withoutDigests?: boolean;
}

/**
 * Saves `model` into the registry layout of lib/contracts/registry.ts through the s3://
 * IOHandler: artifacts, then metadata.json, then (optionally) champion.json.
 */
export async function publishModel(
  s3: S3Client,
  bucket: string,
  model: tf.LayersModel,
  options: PublishOptions,
): Promise<ModelMetadata> {
  const root = modelKeys.version(options.name, options.version);
  const writer = s3ModelWriter(`s3://${bucket}/${root}`, s3);
  await model.save(writer);
  const metadata: ModelMetadata = {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name: options.name,
    version: options.version,
    format: 'layers',
    input: options.input,
    labels: options.labels,
    createdAt: new Date().toISOString(),
    ...(options.withoutDigests ? {} : { sha256: { ...writer.digests } }),
  };
  const putJson = (key: string, value: unknown) =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  await putJson(joinKey(root, 'metadata.json'), metadata);
  if (options.champion) {
    const pointer: ChampionPointer = {
      schemaVersion: REGISTRY_SCHEMA_VERSION,
      name: options.name,
      version: options.version,
      updatedAt: new Date().toISOString(),
    };
    await putJson(modelKeys.champion(options.name), pointer);
  }
  return metadata;
}

/** The digits CNN published as the champion of `name`, as the retrain job would leave it. */
export async function publishDigitsChampion(
  s3: S3Client,
  bucket: string,
  name = 'digits',
  version = 'v0001-fixture',
): Promise<ModelMetadata> {
  // Whichever backend the caller registered (wasm in the worker) must finish loading first.
  await tf.ready();
  const model = digitsCnn();
  try {
    return await publishModel(s3, bucket, model, {
      name,
      version,
      input: DIGITS_INPUT,
      labels: DIGIT_LABELS,
      champion: true,
    });
  } finally {
    model.dispose();
  }
}

/** A features model published as the champion of `name`, for JSON, JSONL and CSV inputs. */
export async function publishFeaturesChampion(
  s3: S3Client,
  bucket: string,
  names: readonly string[],
  labels: readonly string[],
  name = 'tabular',
  version = 'v0001-fixture',
): Promise<ModelMetadata> {
  await tf.ready();
  const model = featuresModel(names.length, labels.length);
  try {
    return await publishModel(s3, bucket, model, {
      name,
      version,
      input: { kind: 'features', size: names.length, names },
      labels,
      champion: true,
    });
  } finally {
    model.dispose();
  }
}

/**
 * The artifacts of a graph model as the tfjs converter writes them (a GraphDef in JSON plus
 * weights): softmax(x . W) over `weights.length` features, one class per column of W.
 */
export function linearSoftmaxGraph(weights: readonly (readonly number[])[]): tf.io.ModelArtifacts {
  const size = String(weights.length);
  const classes = String(weights[0].length);
  const float = { type: 'DT_FLOAT' };
  return {
    format: 'graph-model',
    generatedBy: 'test fixture',
    convertedBy: 'test fixture',
    modelTopology: {
      node: [
        {
          name: 'features',
          op: 'Placeholder',
          attr: { dtype: float, shape: { shape: { dim: [{ size: '-1' }, { size }] } } },
        },
        {
          name: 'weights',
          op: 'Const',
          attr: {
            dtype: float,
            value: {
              tensor: {
                dtype: 'DT_FLOAT',
                tensorShape: { dim: [{ size }, { size: classes }] },
              },
            },
          },
        },
        {
          name: 'logits',
          op: 'MatMul',
          input: ['features', 'weights'],
          attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } },
        },
        { name: 'probabilities', op: 'Softmax', input: ['logits'], attr: { T: float } },
      ],
      library: {},
      versions: {},
    },
    weightSpecs: [
      { name: 'weights', shape: [weights.length, weights[0].length], dtype: 'float32' },
    ],
    weightData: Float32Array.from(weights.flat()).buffer,
  };
}

/** A graph model over numeric features published as the champion of `name`. */
export async function publishGraphChampion(
  s3: S3Client,
  bucket: string,
  weights: readonly (readonly number[])[],
  labels: readonly string[],
  name = 'graph',
  version = 'v0001-fixture',
): Promise<ModelMetadata> {
  const root = modelKeys.version(name, version);
  const writer = s3ModelWriter(`s3://${bucket}/${root}`, s3);
  await writer.save!(linearSoftmaxGraph(weights));
  const metadata: ModelMetadata = {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name,
    version,
    format: 'graph',
    input: { kind: 'features', size: weights.length },
    labels,
    createdAt: new Date().toISOString(),
    sha256: { ...writer.digests },
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: joinKey(root, 'metadata.json'),
      Body: JSON.stringify(metadata),
    }),
  );
  const pointer: ChampionPointer = {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name,
    version,
    updatedAt: new Date().toISOString(),
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: modelKeys.champion(name),
      Body: JSON.stringify(pointer),
    }),
  );
  return metadata;
}
