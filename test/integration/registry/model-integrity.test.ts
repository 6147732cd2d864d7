import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { modelKeys } from '../../../lib/contracts/keys';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { ModelIntegrityError } from '../../../container/src/model/errors';
import { sha256Hex } from '../../../container/src/model/file-digests';
import { ChampionMovedError, VersionExistsError } from '../../../container/src/registry/errors';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { createBucket } from '../../helpers/emulator-resources';
import { tinyMetadata, tinyModel } from '../../helpers/train-registry-fixtures';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

const s3 = s3Client();

async function objectBytes(bucket: string, key: string): Promise<Uint8Array> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToByteArray();
}

/** Writes as someone who bypasses the registry (and, on AWS, a bucket without its policy). */
async function overwrite(bucket: string, key: string, body: Uint8Array | string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

describeOnEmulator(['s3'], 'model version integrity on the emulator', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('records the SHA-256 of every model file it writes in the version metadata', async () => {
    // given a registered version
    const registry = new ModelRegistry(s3, await createBucket(s3), 'tiny');
    const recorded = await registry.registerVersion(tinyModel(), tinyMetadata('tiny', 'v1'));

    // then its metadata.json names model.json and weights.bin with the digests of their bytes
    const root = modelKeys.version('tiny', 'v1');
    const stored = (await registry.getVersion('v1')) as ModelMetadata;
    expect(stored.sha256).toEqual(recorded.sha256);
    expect(Object.keys(stored.sha256!).sort()).toEqual(['model.json', 'weights.bin']);
    for (const [file, digest] of Object.entries(stored.sha256!)) {
      expect(sha256Hex(await objectBytes(registry.bucket, root + file))).toBe(digest);
    }
  });

  it('refuses to load a version whose weights were replaced, naming the file', async () => {
    // given a registered version whose weights.bin is then overwritten with other weights
    const registry = new ModelRegistry(s3, await createBucket(s3), 'tiny');
    await registry.registerVersion(tinyModel(1), tinyMetadata('tiny', 'v1'));
    const weightsKey = modelKeys.version('tiny', 'v1') + 'weights.bin';
    const other = await objectBytes(registry.bucket, weightsKey);
    other[0] ^= 0xff;
    await overwrite(registry.bucket, weightsKey, other);

    // when it is loaded / then the load is refused, naming weights.bin
    const load = registry.loadLayersModel('v1');
    await expect(load).rejects.toThrow(ModelIntegrityError);
    await expect(load).rejects.toThrow(
      `s3://${registry.bucket}/${weightsKey}: SHA-256 ${sha256Hex(other)} does not match`,
    );
  });

  it('refuses a version without recorded digests unless the caller accepts it unverified', async () => {
    // given a version whose metadata.json has no sha256, as written before they were recorded
    const registry = new ModelRegistry(s3, await createBucket(s3), 'tiny');
    const recorded = await registry.registerVersion(tinyModel(), tinyMetadata('tiny', 'v1'));
    const legacy = { ...recorded, sha256: undefined };
    await overwrite(
      registry.bucket,
      modelKeys.version('tiny', 'v1') + 'metadata.json',
      JSON.stringify(legacy),
    );

    // when loaded plainly / then refused, naming the version
    await expect(registry.loadLayersModel('v1')).rejects.toThrow(
      'model tiny@v1 (s3://' + registry.bucket + '/models/tiny/versions/v1/) records no SHA-256',
    );

    // when loaded by a caller that accepts unverified versions / then told, and it loads
    const told: string[] = [];
    const model = await registry.loadLayersModel('v1', (m) => told.push(m.version));
    expect(told).toEqual(['v1']);
    expect(model.predict(tf.tensor2d([[0, 1]]))).toBeInstanceOf(tf.Tensor);
  });

  it('never writes into the files of a version that exists without metadata', async () => {
    // given the model files of an unfinished write of v1 (no metadata.json yet)
    const registry = new ModelRegistry(s3, await createBucket(s3), 'tiny');
    const weightsKey = modelKeys.version('tiny', 'v1') + 'weights.bin';
    await overwrite(registry.bucket, weightsKey, 'someone else');

    // when v1 is registered / then refused, and the existing file is untouched
    await expect(registry.registerVersion(tinyModel(), tinyMetadata('tiny', 'v1'))).rejects.toThrow(
      VersionExistsError,
    );
    expect(Buffer.from(await objectBytes(registry.bucket, weightsKey)).toString()).toBe(
      'someone else',
    );
  });

  it('does not undo a champion move made after it read the pointer', async () => {
    // given champion v1, and a second registry client that moves it to v3 at the same time
    const bucket = await createBucket(s3);
    const registry = new ModelRegistry(s3, bucket, 'tiny');
    for (const v of ['v1', 'v2', 'v3']) {
      await registry.registerVersion(tinyModel(), tinyMetadata('tiny', v));
    }
    await registry.promote('v1', 'first');
    const other = new ModelRegistry(s3, bucket, 'tiny');
    const racing = new ModelRegistry(
      {
        send: async (command: unknown) => {
          const response = await s3.send(command as never);
          // Right after this client reads champion.json, the other one moves it.
          if (
            command instanceof GetObjectCommand &&
            command.input.Key === modelKeys.champion('tiny') &&
            (await other.champion())?.version === 'v1'
          ) {
            await other.promote('v3', 'the other writer');
          }
          return response;
        },
      } as unknown as typeof s3,
      bucket,
      'tiny',
    );

    // when the first client promotes v2 / then it is refused and v3 stays champion
    await expect(racing.promote('v2', 'stale decision')).rejects.toThrow(ChampionMovedError);
    expect((await registry.champion())!.version).toBe('v3');
  });
});
