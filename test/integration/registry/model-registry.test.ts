import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  NoChampionError,
  NoEarlierChampionError,
  VersionExistsError,
  VersionNotFoundError,
} from '../../../container/src/registry/errors';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { createBucket } from '../../helpers/emulator-resources';
import { keysUnder } from '../../helpers/train-fixtures';
import { tinyMetadata, tinyModel } from '../../helpers/train-registry-fixtures';
import { describeOnEmulator, MISSING_KEY_ANSWERS } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

let s3: S3Client;

async function registryWith(versions: string[]): Promise<ModelRegistry> {
  const registry = new ModelRegistry(s3, await createBucket(s3), 'tiny');
  for (const version of versions) {
    await registry.registerVersion(tinyModel(), tinyMetadata('tiny', version));
  }
  return registry;
}

// Once as moto answers a missing key (404), once as S3 may answer it (403 AccessDenied).
for (const missingKeys of MISSING_KEY_ANSWERS) {
  describeOnEmulator(
    ['s3'],
    `model registry on the emulator, a missing key answering ${missingKeys}`,
    () => {
      beforeAll(async () => {
        s3 = s3Client();
        await tf.setBackend('cpu');
      });

      it('stores a version whose model loads back with the same weights', async () => {
        // given a registered tiny model
        const registry = await registryWith([]);
        const model = tinyModel(5);
        await registry.registerVersion(model, tinyMetadata('tiny', 'v1'));

        // when it is loaded from the registry
        const loaded = await registry.loadLayersModel('v1');

        // then its weights equal the original's
        const input = tf.tensor2d([[0.3, -1.2]]);
        expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(
          Array.from((model.predict(input) as tf.Tensor).dataSync()),
        );
      });

      it('lists versions oldest first with their metadata', async () => {
        // given three versions registered out of order / when listed
        const registry = await registryWith(['v2', 'v1', 'v3']);

        // then they come back in version order
        expect((await registry.listVersions()).map((m) => m.version)).toEqual(['v1', 'v2', 'v3']);
      });

      it('refuses to overwrite an existing version', async () => {
        // given version v1 / when v1 is registered again / then it is refused as immutable
        const registry = await registryWith(['v1']);
        await expect(
          registry.registerVersion(tinyModel(), tinyMetadata('tiny', 'v1')),
        ).rejects.toThrow(VersionExistsError);
      });

      it('refuses a version whose directory holds files but no metadata, adding none', async () => {
        // given files of v1 written by an import that stopped before its metadata.json
        const registry = await registryWith([]);
        const root = registry.versionUrl('v1').slice(`s3://${registry.bucket}/`.length);
        await s3.send(
          new PutObjectCommand({
            Bucket: registry.bucket,
            Key: `${root}group1-shard1of1`,
            Body: 'x',
          }),
        );
        // when v1 is registered with other file names
        const files = new Map([
          ['model.json', new TextEncoder().encode('{}')],
          ['weights.bin', new Uint8Array([1])],
        ]);
        const registering = registry.registerFiles(files, tinyMetadata('tiny', 'v1'));
        // then it is refused, and nothing was written beside the stray file
        await expect(registering).rejects.toThrow(VersionExistsError);
        expect(await keysUnder(s3, registry.bucket, root)).toEqual([`${root}group1-shard1of1`]);
      });

      it('stores supplied model files as they are, with their digests, and loads them back', async () => {
        // given the files of a tiny model as a converter would supply them
        const registry = await registryWith([]);
        const model = tinyModel(5);
        const files = new Map<string, Uint8Array>();
        await model.save(
          tf.io.withSaveHandler(async (artifacts) => {
            const modelJson = {
              format: 'layers-model',
              modelTopology: artifacts.modelTopology,
              weightsManifest: [
                { paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs },
              ],
            };
            files.set('group1-shard1of1.bin', new Uint8Array(artifacts.weightData as ArrayBuffer));
            files.set('model.json', new TextEncoder().encode(JSON.stringify(modelJson)));
            return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
          }),
        );

        // when they are registered as v1
        const recorded = await registry.registerFiles(files, tinyMetadata('tiny', 'v1'));

        // then the metadata records a digest per file, and the verified load predicts as the original
        expect(Object.keys(recorded.sha256!).sort()).toEqual([
          'group1-shard1of1.bin',
          'model.json',
        ]);
        const loaded = await registry.loadLayersModel('v1');
        const input = tf.tensor2d([[0.3, -1.2]]);
        expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(
          Array.from((model.predict(input) as tf.Tensor).dataSync()),
        );
        // and a second registration of v1 is refused as immutable
        await expect(registry.registerFiles(files, tinyMetadata('tiny', 'v1'))).rejects.toThrow(
          VersionExistsError,
        );
      });

      it('restores any earlier version as champion and records it as a rollback', async () => {
        // given v1, v2 and v3 promoted in turn
        const registry = await registryWith(['v1', 'v2', 'v3']);
        for (const version of ['v1', 'v2', 'v3']) await registry.promote(version, 'test');

        // when v1 is restored
        const event = await registry.restore('v1', 'v2 and v3 misbehave');

        // then v1 is champion and the history ends with the rollback from v3
        expect((await registry.champion())!.version).toBe('v1');
        expect(event).toMatchObject({ event: 'rollback', version: 'v1', previousVersion: 'v3' });
        expect((await registry.history()).map((e) => e.event)).toEqual([
          'promote',
          'promote',
          'promote',
          'rollback',
        ]);
      });

      it('refuses to promote a version that does not exist, leaving the pointer', async () => {
        // given champion v1 / when a missing version is promoted / then refused and v1 stays
        const registry = await registryWith(['v1']);
        await registry.promote('v1', 'first');
        await expect(registry.promote('v9', 'typo')).rejects.toThrow(VersionNotFoundError);
        expect((await registry.champion())!.version).toBe('v1');
      });

      it('refuses to roll back the first champion', async () => {
        // given only v1 ever promoted / when rolled back / then there is nothing to return to
        const registry = await registryWith(['v1']);
        await registry.promote('v1', 'first');
        await expect(registry.rollback()).rejects.toThrow(NoEarlierChampionError);
      });

      it('refuses to roll back a model without a champion', async () => {
        // given no promotion yet / when rolled back / then it says there is no champion
        const registry = await registryWith(['v1']);
        await expect(registry.rollback()).rejects.toThrow(NoChampionError);
      });
    },
    { missingKeys },
  );
}
