import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { describeEachOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { publishDigitsChampion } from '../../helpers/worker-model-fixture';

jest.setTimeout(60_000);

const s3 = s3Client();

describeEachOnEmulator(['s3'], backendsUnderTest())('the scorer on %s', (backend) => {
  it('runs a mini-batch of 100 as one model call, not in chunks of 32', async () => {
    // given the digits champion (two conv layers) loaded as the worker loads it
    await selectBackend('infer', () => undefined, onBackend(process.env, backend));
    const bucket = await createBucket(s3);
    await publishDigitsChampion(s3, bucket);
    const scorer = await loadScorer(await resolveModel(s3, bucket, { name: 'digits' }), s3);
    const inputs = Array.from({ length: 100 }, () => new Float32Array(28 * 28).fill(0.5));

    // when 100 inputs are scored, with every kernel recorded
    let scores: Float32Array[] = [];
    const profile = await tf.profile(async () => {
      scores = await scorer.score(inputs);
    });
    scorer.dispose();

    // then each conv layer ran once (LayersModel.predict alone would split into 32+32+32+4)
    const convolutions = profile.kernels.filter((k) => /Conv2D$/.test(k.name));
    expect(convolutions).toHaveLength(2);
    expect(scores).toHaveLength(100);
  });
});
