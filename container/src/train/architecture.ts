import * as tf from '@tensorflow/tfjs';
import type { InputSpec } from '../../../lib/contracts/registry';

export type ImageInputSpec = Extract<InputSpec, { kind: 'image' }>;
export type FeaturesInputSpec = Extract<InputSpec, { kind: 'features' }>;

/** A model to build when a registry name has no champion yet. */
export type ArchitectureSpec =
  | {
      readonly kind: 'cnn';
      readonly input: ImageInputSpec;
      /** One conv + 2x2 max-pool block per entry, with this many filters. */
      readonly convFilters: readonly number[];
      readonly kernelSize: number;
      /** Hidden dense layers between the last pool and the softmax. */
      readonly denseUnits: readonly number[];
      readonly dropout: number;
    }
  | {
      readonly kind: 'mlp';
      readonly input: FeaturesInputSpec;
      readonly hiddenUnits: readonly number[];
      readonly dropout: number;
    };

/**
 * Small CNN for 28x28 grayscale digits (~114,000 parameters): 5x5 filters see a stroke's
 * shape in one layer, and with the default 2 px shift augmentation it reaches >= 97% held-out
 * accuracy on the ~8,600 digits of the `mnist` package in a few minutes of one CPU core
 * (docs/benchmarks.md, Training).
 */
export const DIGITS_CNN: ArchitectureSpec = {
  kind: 'cnn',
  input: { kind: 'image', width: 28, height: 28, channels: 1, scale: 1 / 255, offset: 0 },
  convFilters: [16, 32],
  kernelSize: 5,
  denseUnits: [64],
  dropout: 0.25,
};

export const ARCHITECTURE_PRESETS: Readonly<Record<string, ArchitectureSpec>> = {
  'digits-cnn': DIGITS_CNN,
};

/**
 * Architectures used, by model name, when neither the training config nor a flag names one:
 * `train --model digits` (the demo's scheduled job) then needs no configuration at all.
 */
export const DEFAULT_ARCHITECTURES: Readonly<Record<string, ArchitectureSpec>> = {
  digits: DIGITS_CNN,
};

/** Per-sample input tensor shape (without the batch dimension). */
export function inputShape(input: InputSpec): number[] {
  return input.kind === 'image' ? [input.height, input.width, input.channels] : [input.size];
}

export function buildModel(
  spec: ArchitectureSpec,
  classCount: number,
  seed: number,
): tf.Sequential {
  const model = tf.sequential();
  // Seeded initialisers so the same data and config give the same first model.
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed + offset });
  if (spec.kind === 'cnn') {
    spec.convFilters.forEach((filters, index) => {
      model.add(
        tf.layers.conv2d({
          ...(index === 0 ? { inputShape: inputShape(spec.input) } : {}),
          filters,
          kernelSize: spec.kernelSize,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(index),
        }),
      );
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    });
    model.add(tf.layers.flatten());
    addDense(model, spec.denseUnits, spec.dropout, init, spec.convFilters.length);
  } else {
    model.add(tf.layers.inputLayer({ inputShape: inputShape(spec.input) }));
    addDense(model, spec.hiddenUnits, spec.dropout, init, 0);
  }
  model.add(
    tf.layers.dense({ units: classCount, activation: 'softmax', kernelInitializer: init(99) }),
  );
  return model;
}

function addDense(
  model: tf.Sequential,
  units: readonly number[],
  dropout: number,
  init: (offset: number) => ReturnType<typeof tf.initializers.glorotUniform>,
  firstOffset: number,
): void {
  units.forEach((count, index) => {
    model.add(
      tf.layers.dense({
        units: count,
        activation: 'relu',
        kernelInitializer: init(firstOffset + index),
      }),
    );
    if (dropout > 0) {
      model.add(tf.layers.dropout({ rate: dropout, seed: firstOffset + index }));
    }
  });
  if (units.length === 0 && dropout > 0) {
    model.add(tf.layers.dropout({ rate: dropout }));
  }
}
