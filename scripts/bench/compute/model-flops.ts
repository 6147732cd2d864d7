import type * as tf from '@tensorflow/tfjs';

export class ModelShapeError extends Error {
  override readonly name = 'ModelShapeError';
}

export interface LayerFlops {
  readonly layer: string;
  readonly className: string;
  readonly flops: number;
}

const dims = (shape: tf.Shape | tf.Shape[], layer: string): number[] => {
  const single = Array.isArray(shape[0]) ? (shape as tf.Shape[])[0] : (shape as tf.Shape);
  if (single.slice(1).some((d) => d === null)) {
    throw new ModelShapeError(
      `layer ${layer}: output shape ${JSON.stringify(single)} is not fully known`,
    );
  }
  return single.slice(1) as number[];
};

/**
 * Multiply-add work of one sample through the model, counting a multiply-add as 2 FLOPs:
 * conv2d 2*k*k*cin*cout*hout*wout, dense 2*in*out. Bias adds, activations and pooling are
 * left out (each is one operation per output value, small beside the products).
 */
export function layerFlops(model: tf.LayersModel): LayerFlops[] {
  return model.layers.map((layer) => {
    const className = layer.getClassName();
    const weights = layer.getWeights();
    if (className === 'Conv2D') {
      const [kh, kw, cin, cout] = weights[0].shape;
      const [hout, wout] = dims(layer.outputShape, layer.name);
      return { layer: layer.name, className, flops: 2 * kh * kw * cin * cout * hout * wout };
    }
    if (className === 'Dense') {
      const [inputs, outputs] = weights[0].shape;
      return { layer: layer.name, className, flops: 2 * inputs * outputs };
    }
    if (weights.length > 0) {
      throw new ModelShapeError(
        `layer ${layer.name}: cannot count the FLOPs of a ${className} layer (only Conv2D and Dense carry weights here)`,
      );
    }
    return { layer: layer.name, className, flops: 0 };
  });
}

export function modelFlops(model: tf.LayersModel): number {
  return layerFlops(model).reduce((sum, layer) => sum + layer.flops, 0);
}
