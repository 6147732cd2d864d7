import * as tf from '@tensorflow/tfjs';
import { layerFlops, ModelShapeError, modelFlops } from '../../../scripts/bench/model-flops';
import { buildModel, DIGITS_CNN } from '../../../container/src/train/architecture';

describe('modelFlops', () => {
  it('counts 2*k*k*cin*cout*hout*wout per conv layer and 2*in*out per dense layer', () => {
    // given the default digit model: conv 3x3 1->8 on 28x28, pool, conv 3x3 8->16 on 14x14, pool, dense 784->10
    const model = buildModel(DIGITS_CNN, 10, 1);
    // when its FLOPs are counted
    const flops = layerFlops(model).map((l) => l.flops);
    // then each layer has its product count and the total is their sum
    expect(flops.filter((f) => f > 0)).toEqual([
      2 * 3 * 3 * 1 * 8 * 28 * 28,
      2 * 3 * 3 * 8 * 16 * 14 * 14,
      2 * 784 * 10,
    ]);
    expect(modelFlops(model)).toBe(112_896 + 451_584 + 15_680);
    model.dispose();
  });

  it('refuses a weighted layer it cannot count, naming it', () => {
    // given a model with a batch-normalisation layer
    const model = tf.sequential({
      layers: [tf.layers.batchNormalization({ inputShape: [4], name: 'norm' })],
    });
    // when its FLOPs are counted
    // then the error names the layer
    expect(() => modelFlops(model)).toThrow(ModelShapeError);
    expect(() => modelFlops(model)).toThrow(/norm/);
    model.dispose();
  });
});
