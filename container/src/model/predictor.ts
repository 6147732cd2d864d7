import type * as tf from '@tensorflow/tfjs';

/** A loaded model of either format, as far as scoring needs it. */
export interface Predictor {
  predict(
    input: tf.Tensor,
    config: tf.ModelPredictConfig,
  ): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
  dispose(): unknown;
}
