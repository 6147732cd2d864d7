import * as tf from '@tensorflow/tfjs';
import { ModelMetadata, REGISTRY_SCHEMA_VERSION } from '../../lib/contracts/registry';

/** A tiny two-feature classifier: enough to exercise the registry's model files. */
export function tinyModel(seed = 1): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [2],
      units: 2,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  return model;
}

export function tinyMetadata(
  name: string,
  version: string,
  overrides: Partial<ModelMetadata> = {},
): ModelMetadata {
  return {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    name,
    version,
    format: 'layers',
    input: { kind: 'features', size: 2 },
    labels: ['no', 'yes'],
    createdAt: new Date().toISOString(),
    metrics: { validationLoss: 0.5, validationAccuracy: 0.8, validationSamples: 10 },
    ...overrides,
  };
}
