import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { REGISTRY_SCHEMA_VERSION } from '../../../lib/contracts/registry';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { loadScorer, Scorer } from '../../../container/src/model/load-scorer';
import { resolveModel, ResolvedModel } from '../../../container/src/model/resolve-model';
import { buildModel, DIGITS_CNN } from '../../../container/src/train/architecture';

export const BENCH_MODEL_NAME = 'digits';
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The default digit model in the registry, loaded the way the worker loads it. */
export interface BenchModel {
  readonly bucket: string;
  readonly model: tf.LayersModel;
  readonly resolved: ResolvedModel;
  readonly scorer: Scorer;
}

/**
 * Registers the default architecture (container/src/train/architecture.ts, DIGITS_CNN) with
 * seeded random weights as the champion in a fresh bucket, then resolves and loads it through
 * the worker's own path (resolveModel + loadScorer over the s3:// IOHandler). Random weights
 * cost the same to run as trained ones: every multiply happens whatever the values are.
 */
export async function registerBenchModel(s3: S3Client, bucket: string): Promise<BenchModel> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const model = await registerDigitsChampion(s3, bucket);
  const resolved = await resolveModel(s3, bucket, { name: BENCH_MODEL_NAME });
  const scorer = await loadScorer(resolved, s3);
  return { bucket, model, resolved, scorer };
}

/** The default architecture with seeded random weights, registered and promoted in `bucket`. */
export async function registerDigitsChampion(
  s3: S3Client,
  bucket: string,
): Promise<tf.LayersModel> {
  const model = buildModel(DIGITS_CNN, DIGIT_LABELS.length, 42);
  const registry = new ModelRegistry(s3, bucket, BENCH_MODEL_NAME);
  const version = 'bench-1';
  await registry.registerVersion(model, {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name: BENCH_MODEL_NAME,
    version,
    format: 'layers',
    input: DIGITS_CNN.input,
    labels: DIGIT_LABELS,
    createdAt: new Date().toISOString(),
  });
  await registry.promote(version, 'benchmark model');
  return model;
}
