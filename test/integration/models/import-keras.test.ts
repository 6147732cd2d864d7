import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import type { CliContext } from '../../../scripts/cli/command';
import { modelsCommand } from '../../../scripts/cli/commands/models-command';
import type { PipelineStack } from '../../../scripts/cli/stack-outputs';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { ensureKerasConverter, KerasPeerOutput, runKerasPeer } from '../../helpers/keras-peer';
import { encodePngFile } from '../../helpers/png-encoder';
import { uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import { readShardOutputs } from '../../helpers/worker-results';

// The first run creates the peer venv (TensorFlow from the package index): minutes.
jest.setTimeout(900_000);

const s3 = s3Client();

/** Largest difference allowed between a pipeline score and Keras's score for the same image. */
const TOLERANCE = 1e-5;
const LABELS = ['cat', 'dog', 'fox', 'owl'];
const PREPROCESSING = {
  height: 24,
  width: 24,
  scale: 1 / 255,
  offset: 0,
  mean: [0.406, 0.456, 0.485],
  std: [0.225, 0.224, 0.229],
  channelOrder: 'BGR',
};
/** Width x height of each test image: smaller, larger, the model's own size, other aspect ratios. */
const SIZES = [
  [24, 24],
  [40, 31],
  [17, 50],
  [64, 48],
  [100, 12],
  [9, 9],
] as const;

/** A seeded RGB (or, for one image, RGBA) PNG: colour gradients plus noise, so resizing matters. */
function photo(index: number, width: number, height: number): Buffer {
  let seed = 1 + index * 7919;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed >> 16) % 64;
  };
  const rgba = index === SIZES.length - 1;
  const samples: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      samples.push(
        Math.min(255, Math.round((x / width) * 190) + noise()),
        Math.min(255, Math.round((y / height) * 190) + noise()),
        Math.min(255, ((x + y + index * 13) % 32) * 6 + noise()),
      );
      if (rgba) samples.push(255);
    }
  }
  return encodePngFile(
    { width, height, bitDepth: 8, colorType: rgba ? 6 : 2, interlace: 0 },
    samples,
  );
}

describeOnEmulator(['s3'], 'a Keras model imported with gbi models import', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'keras-import-'));
  const pngs = SIZES.map(([width, height], i) => ({
    name: `photo-${i}-${width}x${height}.png`,
    body: photo(i, width, height),
  }));
  /** The PNGs, then the JPEG copies Python wrote of them: Keras's scores come in this order. */
  let images: { readonly name: string; readonly body: Buffer }[];
  let keras: KerasPeerOutput;
  let models: string;
  const importOutput: string[] = [];

  /** `gbi models import DIR` into the model bucket with the Keras model's preprocessing, promoted. */
  const importAndPromote = (dir: string, modelName: string, output: string[]) => {
    const context: CliContext = {
      io: { out: (line) => output.push(line), err: (line) => output.push(line) },
      stackName: 'keras-import',
      stack: async () => ({ modelBucket: models, modelName }) as PipelineStack,
    };
    return modelsCommand.run(
      [
        'import',
        dir,
        '--input=image',
        `--shape=${PREPROCESSING.height}x${PREPROCESSING.width}x3`,
        `--scale=${PREPROCESSING.scale}`,
        `--mean=${PREPROCESSING.mean.join(',')}`,
        `--std=${PREPROCESSING.std.join(',')}`,
        `--channel-order=${PREPROCESSING.channelOrder}`,
        `--labels=${LABELS.join(',')}`,
        // Every label's score in each result, to compare them all.
        `--top-k=${LABELS.length}`,
        '--promote',
      ],
      context,
    );
  };

  beforeAll(async () => {
    // given a small RGB classifier built in Keras, converted by tensorflowjs, JPEG copies of the
    // PNGs written by TensorFlow (4:2:0 and 4:4:4), and Keras's own scores for all of them
    // preprocessed as the metadata below says
    ensureKerasConverter((line) => process.stderr.write(`[keras-peer] ${line}\n`));
    for (const image of pngs) writeFileSync(join(workdir, image.name), image.body);
    const names = pngs.map((i) => i.name);
    writeFileSync(
      join(workdir, 'request.json'),
      JSON.stringify({ ...PREPROCESSING, labels: LABELS, images: names, jpegFrom: names }),
    );
    keras = runKerasPeer(workdir);
    images = [
      ...pngs,
      ...keras.jpegs.map((name) => ({ name, body: readFileSync(join(workdir, name)) })),
    ];

    // when gbi models import registers the converted directory and promotes it
    models = await createBucket(s3);
    const code = await importAndPromote(join(workdir, 'model'), 'keras-rgb', importOutput);
    expect({ code, output: importOutput }).toMatchObject({ code: 0 });
  });

  it('was converted by the pinned converter and imported as a layers model', () => {
    expect(keras).toMatchObject({ tensorflowVersion: '2.21.0', tensorflowjsVersion: '4.22.0' });
    expect(importOutput.join('\n')).toMatch(
      /imported keras-rgb@\S+ from .*: layers model, image input 24x24x3, 4 labels, SHA-256 of 2 files recorded/,
    );
    expect(importOutput.join('\n')).toContain('promote: keras-rgb champion is now');
  });

  it.each(backendsUnderTest())(
    'scores RGB PNGs and JPEGs of mixed sizes through the worker on %s as Keras does, within 1e-5 (JPEGs on native backends)',
    async (backend) => {
      // given the images uploaded and a manifest naming the champion
      const inputs = await createBucket(s3);
      const results = await createBucket(s3);
      const items = await uploadInputs(
        s3,
        inputs,
        images.map((image) => ({ key: `photos/${image.name}`, body: image.body })),
      );
      const batchId = `keras-${backend}`;
      const manifestUrl = await writeManifest(s3, results, batchId, { name: 'keras-rgb' }, items);

      // when the worker scores the shard (no --top-k: the model's default applies)
      const lines: string[] = [];
      const code = await runInferCommand(
        ['--manifest', manifestUrl, '--batch-size', '4'],
        (line) => lines.push(line),
        onBackend({ ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results }, backend),
      );

      // then every image has all four scores, each within the tolerance of Keras's
      expect({ code, lines }).toMatchObject({ code: 0 });
      const { results: records } = await readShardOutputs(s3, results, batchId, 0);
      expect(records.map((r) => r.source.key).sort()).toEqual(
        images.map((image) => `photos/${image.name}`).sort(),
      );
      const maxDiff = { png: 0, jpeg: 0 };
      for (const record of records) {
        const index = images.findIndex((image) => `photos/${image.name}` === record.source.key);
        const format = images[index].name.endsWith('.jpg') ? 'jpeg' : 'png';
        expect(record.predictions.map((p) => p.label).sort()).toEqual([...LABELS].sort());
        for (const { label, score } of record.predictions) {
          const diff = Math.abs(score - keras.scores[index][LABELS.indexOf(label)]);
          maxDiff[format] = Math.max(maxDiff[format], diff);
        }
      }
      process.stderr.write(
        `[keras-import] ${backend}: max |pipeline - keras| PNG ${maxDiff.png.toExponential(2)}, JPEG ${maxDiff.jpeg.toExponential(2)} over ${records.length} images x ${LABELS.length} labels (tolerance ${TOLERANCE})\n`,
      );
      expect(maxDiff.png).toBeLessThanOrEqual(TOLERANCE);
      // wasm decodes JPEGs with jpeg-js, whose pixels differ from TensorFlow's
      // (docs/container.md, Decoding); the native backends decode with TensorFlow's own ops.
      if (backend !== 'wasm') expect(maxDiff.jpeg).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  (backendsUnderTest().includes('tfjs-node') ? describe : describe.skip)(
    'exported as a TensorFlow SavedModel',
    () => {
      const savedOutput: string[] = [];

      beforeAll(async () => {
        // given the same Keras model exported as a SavedModel (model.save, save_format="tf"),
        // imported without a converter
        const code = await importAndPromote(
          join(workdir, 'saved_model'),
          'keras-saved',
          savedOutput,
        );
        expect({ code, output: savedOutput }).toMatchObject({ code: 0 });
      });

      it('is imported as a saved-model version with every file hashed', () => {
        expect(savedOutput.join('\n')).toMatch(
          /imported keras-saved@\S+ from .*: saved-model model, image input 24x24x3, 4 labels, SHA-256 of \d+ files recorded/,
        );
      });

      /** The worker's run of the shard of all test images with the SavedModel champion. */
      async function scoreShard(backend: string) {
        const inputs = await createBucket(s3);
        const results = await createBucket(s3);
        const items = await uploadInputs(
          s3,
          inputs,
          images.map((image) => ({ key: `photos/${image.name}`, body: image.body })),
        );
        const batchId = `keras-saved-${backend}`;
        const manifestUrl = await writeManifest(
          s3,
          results,
          batchId,
          { name: 'keras-saved' },
          items,
        );
        const lines: string[] = [];
        const code = await runInferCommand(
          ['--manifest', manifestUrl, '--batch-size', '4'],
          (line) => lines.push(line),
          onBackend(
            { ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results },
            backend as Parameters<typeof onBackend>[1],
          ),
        );
        return { code, lines, results, batchId };
      }

      it('is scored by the worker on tfjs-node, through the TensorFlow C library, as Keras does, within 1e-5', async () => {
        // when the worker scores the shard with the SavedModel champion
        const { code, lines, results, batchId } = await scoreShard('tfjs-node');

        // then every image has all four scores, each within the tolerance of Keras's
        expect({ code, lines }).toMatchObject({ code: 0 });
        const { results: records } = await readShardOutputs(s3, results, batchId, 0);
        expect(records).toHaveLength(images.length);
        let maxDiff = 0;
        for (const record of records) {
          const index = images.findIndex((image) => `photos/${image.name}` === record.source.key);
          for (const { label, score } of record.predictions) {
            maxDiff = Math.max(
              maxDiff,
              Math.abs(score - keras.scores[index][LABELS.indexOf(label)]),
            );
          }
        }
        process.stderr.write(
          `[keras-import] SavedModel on tfjs-node: max |pipeline - keras| = ${maxDiff.toExponential(2)} over ${records.length} images x ${LABELS.length} labels (tolerance ${TOLERANCE})\n`,
        );
        expect(maxDiff).toBeLessThanOrEqual(TOLERANCE);
      });

      it('is refused by the worker on wasm with a message that says why', async () => {
        // when the worker has to run on wasm / then the shard fails, saying the SavedModel needs
        // the C library and what to import instead
        const { code, lines } = await scoreShard('wasm');
        expect(code).toBe(1);
        expect(lines.join('\n')).toMatch(
          /infer failed: ModelResolutionError: cannot load saved-model model keras-saved@\S+ .*: a TensorFlow SavedModel runs only through the TensorFlow C library \(the tfjs-node or tfjs-node-gpu backend\), and this process runs on the wasm backend .*import a TensorFlow\.js conversion of the model/,
        );
      });
    },
  );
});
