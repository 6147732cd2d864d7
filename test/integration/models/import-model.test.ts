import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { sha256Hex } from '../../../container/src/model/file-digests';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import type { CliContext } from '../../../scripts/cli/command';
import { modelsCommand } from '../../../scripts/cli/commands/models-command';
import { ModelImportError } from '../../../scripts/cli/import/errors';
import { importModel } from '../../../scripts/cli/import/import-model';
import type { ImportSpec } from '../../../scripts/cli/import/import-spec';
import { modelSource } from '../../../scripts/cli/import/model-source';
import type { PipelineStack } from '../../../scripts/cli/stack-outputs';
import { contractViolations } from '../../helpers/contract-schemas';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import {
  converterFiles,
  layersModelFiles,
  ModelDirFiles,
  SHARD,
  writeModelDir,
} from '../../helpers/tfjs-model-dir';
import { featuresModel, linearSoftmaxGraph } from '../../helpers/worker-model-fixture';

jest.setTimeout(120_000);

const s3 = s3Client();

/** A small RGB image classifier: 8x8x3 in, 3 softmax scores out, seeded weights. */
function rgbModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 3],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
}

const RGB_SPEC: ImportSpec = {
  input: 'image',
  shape: [8, 8, 3],
  scale: 1 / 255,
  mean: [0.5, 0.5, 0.5],
  std: [0.25, 0.25, 0.25],
  channelOrder: 'BGR',
  labels: ['cat', 'dog', 'fox'],
  topK: 2,
};

async function filesOf(model: tf.LayersModel): Promise<ModelDirFiles> {
  try {
    return await layersModelFiles(model);
  } finally {
    model.dispose();
  }
}

async function bucketKeys(bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

/** Imports `dir` with `spec` into a fresh model bucket; returns the bucket and the outcome. */
async function importInto(dir: string, spec: ImportSpec, promoteReason?: string) {
  const bucket = await createBucket(s3);
  const registry = new ModelRegistry(s3, bucket, 'imported');
  const outcome = importModel({ source: modelSource(dir, s3), spec, registry, promoteReason });
  return { bucket, registry, outcome };
}

/** The import is refused with a ModelImportError matching `message`, and the bucket stays empty. */
async function expectRefused(dir: string, spec: ImportSpec, message: RegExp): Promise<void> {
  const { bucket, outcome } = await importInto(dir, spec);
  const error = await outcome.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelImportError);
  expect((error as Error).message).toMatch(message);
  expect(await bucketKeys(bucket)).toEqual([]);
}

describeOnEmulator(['s3'], 'gbi models import', () => {
  beforeAll(async () => {
    await selectBackend('infer', () => undefined);
  });

  describe('a valid model directory', () => {
    it('becomes a new version whose metadata records the preprocessing, the source and each file digest, and the worker loads it', async () => {
      // given an RGB layers model written as the converter writes it
      const files = await filesOf(rgbModel());
      const dir = writeModelDir(files);

      // when it is imported from the local folder
      const { registry, outcome } = await importInto(dir, RGB_SPEC);
      const { metadata, promotion } = await outcome;

      // then the version holds the declared metadata and the SHA-256 of both files as read
      expect(promotion).toBeUndefined();
      expect(metadata).toMatchObject({
        name: 'imported',
        format: 'layers',
        input: {
          kind: 'image',
          width: 8,
          height: 8,
          channels: 3,
          scale: 1 / 255,
          offset: 0,
          mean: [0.5, 0.5, 0.5],
          std: [0.25, 0.25, 0.25],
          channelOrder: 'BGR',
        },
        labels: ['cat', 'dog', 'fox'],
        defaultTopK: 2,
        importedFrom: `${dir}/`,
        sha256: {
          'model.json': sha256Hex(readFileSync(join(dir, 'model.json'))),
          [SHARD]: sha256Hex(files.weights),
        },
      });
      expect(contractViolations('model-metadata', metadata)).toEqual([]);
      expect(await registry.listVersions()).toEqual([metadata]);
      expect(await registry.champion()).toBeUndefined();
      // and the worker resolves it, verifies every file's digest and warms it up
      const scorer = await loadScorer(
        await resolveModel(s3, registry.bucket, { name: 'imported', version: metadata.version }),
        s3,
      );
      const [scores] = await scorer.score([new Float32Array(8 * 8 * 3).fill(0.5)]);
      scorer.dispose();
      expect(scores).toHaveLength(3);
    });

    it('is read from an s3:// prefix and --promote makes it champion through the promotion history', async () => {
      // given a features model uploaded under an s3:// prefix
      const files = await filesOf(featuresModel(3, 2));
      const source = await createBucket(s3);
      for (const [key, body] of [
        ['exported/model.json', JSON.stringify(files.modelJson)],
        [`exported/${SHARD}`, files.weights],
      ] as const) {
        await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: body }));
      }

      // when it is imported from there with a promotion
      const { registry, outcome } = await importInto(
        `s3://${source}/exported`,
        { input: 'features', shape: [3], labels: ['no', 'yes'] },
        'imported from the partner team',
      );
      const { metadata, promotion } = await outcome;

      // then it is the champion, and the history records the promotion with its reason
      expect(metadata.importedFrom).toBe(`s3://${source}/exported/`);
      expect(metadata.input).toEqual({ kind: 'features', size: 3 });
      expect((await registry.champion())?.version).toBe(metadata.version);
      expect(await registry.history()).toEqual([promotion]);
      expect(promotion).toMatchObject({
        event: 'promote',
        version: metadata.version,
        reason: 'imported from the partner team',
      });
    });

    it('imports a graph model as the converter writes one', async () => {
      // given a graph model (softmax of a matrix product) over 2 features, 3 classes
      const dir = writeModelDir(
        converterFiles(
          linearSoftmaxGraph([
            [1, 0, 0],
            [0, 1, 2],
          ]),
        ),
      );

      // when it is imported
      const { outcome } = await importInto(dir, {
        input: 'features',
        shape: [2],
        labels: ['a', 'b', 'c'],
      });

      // then it is registered as a graph model
      expect((await outcome).metadata.format).toBe('graph');
    });

    it('works through the gbi command line, printing the version and the promotion', async () => {
      // given an RGB model directory and a metadata file naming a labels file
      const files = await filesOf(rgbModel());
      const dir = writeModelDir(files);
      writeFileSync(join(dir, 'labels.txt'), 'cat\ndog\nfox\n');
      writeFileSync(
        join(dir, 'import.json'),
        JSON.stringify({
          input: 'image',
          shape: [8, 8, 3],
          scale: 0.00392156862745098,
          labelsFile: 'labels.txt',
        }),
      );
      const bucket = await createBucket(s3);
      const out: string[] = [];
      const context: CliContext = {
        io: { out: (line) => out.push(line), err: (line) => out.push(line) },
        stackName: 'test',
        stack: async () => ({ modelBucket: bucket, modelName: 'cli-model' }) as PipelineStack,
      };

      // when gbi models import runs with the metadata file, a flag over it, and --promote
      const code = await modelsCommand.run(
        [
          'import',
          dir,
          '--metadata',
          join(dir, 'import.json'),
          '--offset=-0.5',
          '--version',
          'v1-imported',
          '--promote',
        ],
        context,
      );

      // then it registered and promoted the version, the flag having won
      expect(code).toBe(0);
      expect(out.join('\n')).toMatch(
        /imported cli-model@v1-imported from .*: layers model, image input 8x8x3, 3 labels, SHA-256 of 2 files recorded/,
      );
      expect(out.join('\n')).toContain('promote: cli-model champion is now v1-imported');
      const registry = new ModelRegistry(s3, bucket, 'cli-model');
      expect((await registry.getVersion('v1-imported')).input).toMatchObject({ offset: -0.5 });
      expect((await registry.history()).map((e) => e.reason)).toEqual([
        expect.stringContaining('gbi models import'),
      ]);
      // and gbi models list shows it as the champion and where it came from
      out.length = 0;
      expect(await modelsCommand.run(['list'], context)).toBe(0);
      expect(out.join('\n')).toContain(`* v1-imported  accuracy -`);
      expect(out.join('\n')).toContain(`imported from ${dir}/`);
    });
  });

  describe('refusals, each naming the fault and writing nothing', () => {
    let rgb: ModelDirFiles;
    beforeAll(async () => {
      rgb = await filesOf(rgbModel());
    });

    it('refuses a directory without model.json', async () => {
      const dir = writeModelDir({ modelJson: {}, weights: null });
      unlinkSync(join(dir, 'model.json'));
      await expectRefused(
        dir,
        RGB_SPEC,
        /no model\.json and no saved_model\.pb; expected a TensorFlow\.js model directory/,
      );
    });

    it('refuses a missing weight shard, naming it', async () => {
      const dir = writeModelDir({ modelJson: rgb.modelJson, weights: null });
      await expectRefused(dir, RGB_SPEC, new RegExp(`missing weight shard .*${SHARD}`));
    });

    it('refuses a shard of the wrong size, naming it and both sizes', async () => {
      const dir = writeModelDir({
        ...rgb,
        weights: rgb.weights.subarray(0, rgb.weights.length - 4),
      });
      await expectRefused(
        dir,
        RGB_SPEC,
        new RegExp(
          `declares ${rgb.weights.length} bytes of weights, its shards hold ${rgb.weights.length - 4} \\(${SHARD}: ${rgb.weights.length - 4} bytes\\)`,
        ),
      );
    });

    it('refuses a declared shape the model does not take', async () => {
      const dir = writeModelDir(rgb);
      await expectRefused(
        dir,
        { ...RGB_SPEC, shape: [16, 16, 3] },
        /shape mismatch: the model takes input 8x8x3, the metadata declares 16x16x3/,
      );
    });

    it('refuses labels that do not match the model outputs in number', async () => {
      const dir = writeModelDir(rgb);
      await expectRefused(
        dir,
        { ...RGB_SPEC, labels: ['cat', 'dog'] },
        /returns 3 scores, its metadata has 2 labels/,
      );
    });

    it('refuses a weight of an unsupported dtype, naming the weight', async () => {
      const [group] = rgb.modelJson.weightsManifest;
      const modelJson = {
        ...rgb.modelJson,
        weightsManifest: [
          {
            ...group,
            weights: [{ ...group.weights[0], dtype: 'string' }, ...group.weights.slice(1)],
          },
        ],
      };
      const dir = writeModelDir({ modelJson, weights: rgb.weights });
      await expectRefused(
        dir,
        RGB_SPEC,
        new RegExp(`weight '${group.weights[0].name}' has unsupported dtype 'string'`),
      );
    });

    it('refuses a graph model with an op the backend does not have, naming the op', async () => {
      const graph = linearSoftmaxGraph([[1, 0]]);
      const topology = graph.modelTopology as { node: { op: string }[] };
      topology.node[3].op = 'NoSuchSoftmax';
      const dir = writeModelDir(converterFiles(graph));
      await expectRefused(
        dir,
        { input: 'features', shape: [1], labels: ['a', 'b'] },
        /fails a warm-up call .*an op the backend lacks.*: Unknown op 'NoSuchSoftmax'/,
      );
    });

    it('refuses a layers model with a layer tfjs does not have, naming the layer', async () => {
      const topology = JSON.parse(JSON.stringify(rgb.modelJson.modelTopology)) as {
        config: { layers: { class_name: string }[] };
      };
      topology.config.layers[1].class_name = 'FancyPooling';
      const dir = writeModelDir({
        modelJson: { ...rgb.modelJson, modelTopology: topology },
        weights: rgb.weights,
      });
      await expectRefused(
        dir,
        RGB_SPEC,
        /the layers model does not load on the .* backend: .*FancyPooling/,
      );
    });

    it('refuses a graph model whose input is not float32, naming the dtype', async () => {
      const graph = linearSoftmaxGraph([[1, 0]]);
      const topology = graph.modelTopology as { node: { attr: { dtype?: { type: string } } }[] };
      topology.node[0].attr.dtype = { type: 'DT_INT32' };
      const dir = writeModelDir(converterFiles(graph));
      await expectRefused(
        dir,
        { input: 'features', shape: [1], labels: ['a', 'b'] },
        /the model's input has unsupported dtype int32; the pipeline feeds float32/,
      );
    });

    it('refuses normalisation values that do not fit the channels, naming the field', async () => {
      const dir = writeModelDir(rgb);
      await expectRefused(
        dir,
        { ...RGB_SPEC, mean: [0.5], std: [0.2, 0.2, 0] },
        /input\.mean: expected 3 numbers, one per channel; input\.std: expected 3 positive numbers/,
      );
    });

    it('refuses an image model without its scale, or without labels', async () => {
      const dir = writeModelDir(rgb);
      await expectRefused(
        dir,
        { ...RGB_SPEC, scale: undefined },
        /scale: required for image input/,
      );
      await expectRefused(dir, { ...RGB_SPEC, labels: undefined }, /labels: required/);
    });
  });
});
