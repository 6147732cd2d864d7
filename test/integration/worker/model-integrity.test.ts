import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { modelKeys } from '../../../lib/contracts/keys';
import { ModelResolutionError } from '../../../container/src/infer/errors';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { createBucket } from '../../helpers/emulator-resources';
import { featuresModel, publishModel } from '../../helpers/worker-model-fixture';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

const s3 = s3Client();
const NAMES = ['a', 'b', 'c'];
const LABELS = ['no', 'yes'];

async function publish(bucket: string, withoutDigests = false): Promise<void> {
  const model = featuresModel(NAMES.length, LABELS.length);
  await publishModel(s3, bucket, model, {
    name: 'tabular',
    version: 'v1',
    input: { kind: 'features', size: NAMES.length, names: NAMES },
    labels: LABELS,
    champion: true,
    withoutDigests,
  });
  model.dispose();
}

describeOnEmulator(['s3'], 'the worker loads only verified model versions', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores with a version whose files match their recorded digests', async () => {
    const bucket = await createBucket(s3);
    await publish(bucket);
    const scorer = await loadScorer(await resolveModel(s3, bucket, { name: 'tabular' }), s3);
    expect(await scorer.score([new Float32Array([1, 2, 3])])).toHaveLength(1);
    scorer.dispose();
  });

  it('refuses the champion when its weights file was tampered with, naming the file', async () => {
    // given the champion, then one byte of its weights.bin changed in the bucket
    const bucket = await createBucket(s3);
    await publish(bucket);
    const key = modelKeys.version('tabular', 'v1') + 'weights.bin';
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await response.Body!.transformToByteArray();
    bytes[bytes.length - 1] ^= 0x01;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));

    // when the worker resolves and loads it / then the load is refused before any scoring
    const load = loadScorer(await resolveModel(s3, bucket, { name: 'tabular' }), s3);
    await expect(load).rejects.toThrow(ModelResolutionError);
    await expect(load).rejects.toThrow(
      new RegExp(`s3://${bucket}/${key}: SHA-256 [0-9a-f]{64} does not match [0-9a-f]{64}`),
    );
  });

  it('refuses a version registered before digests were recorded', async () => {
    const bucket = await createBucket(s3);
    await publish(bucket, true);
    const load = loadScorer(await resolveModel(s3, bucket, { name: 'tabular' }), s3);
    await expect(load).rejects.toThrow('model tabular@v1');
    await expect(load).rejects.toThrow('records no SHA-256 of its files');
  });
});
