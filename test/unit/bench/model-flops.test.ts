import * as tf from '@tensorflow/tfjs';
import {
  layerFlops,
  ModelShapeError,
  modelFlops,
} from '../../../scripts/bench/compute/model-flops';
import { buildModel, DIGITS_CNN } from '../../../container/src/train/architecture';

describe('modelFlops', () => {
  it('counts 2*k*k*cin*cout*hout*wout per conv layer and 2*in*out per dense layer', () => {
    // given the default digit model: conv 5x5 1->16 on 28x28, pool, conv 5x5 16->32 on 14x14,
    // pool, dense 1568->64, dropout, dense 64->10
    const model = buildModel(DIGITS_CNN, 10, 1);
    // when its FLOPs are counted
    const flops = layerFlops(model).map((l) => l.flops);
    // then each layer has its product count and the total is their sum
    expect(flops.filter((f) => f > 0)).toEqual([
      2 * 5 * 5 * 1 * 16 * 28 * 28,
      2 * 5 * 5 * 16 * 32 * 14 * 14,
      2 * 1568 * 64,
      2 * 64 * 10,
    ]);
    expect(modelFlops(model)).toBe(627_200 + 5_017_600 + 200_704 + 1_280);
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
