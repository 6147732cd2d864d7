import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { recordId } from '../../../lib/contracts/manifest';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { s3ModelReader } from '../../../container/src/model/s3-io-handler';
import { createBucket } from '../../helpers/emulator-resources';
import { InputFile, uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import {
  jpegOf,
  largePng,
  mnistDigit,
  pngOf,
  truncatedPng,
} from '../../helpers/worker-image-fixtures';
import { backendsUnderTest, onBackend, TestBackend } from '../../helpers/backends';
import { publishDigitsChampion } from '../../helpers/worker-model-fixture';
import { listKeys, readShardOutputs } from '../../helpers/worker-results';
import { describeEachOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

const s3 = s3Client();

const digits = Array.from({ length: 24 }, (_, i) => ({ digit: i % 10, index: Math.floor(i / 10) }));
const goodFiles = [
  ...digits.map(({ digit, index }) => ({
    key: `incoming/digit-${digit}-${index}.png`,
    body: pngOf(mnistDigit(digit, index), 28, 28),
  })),
  { key: 'incoming/photo.jpg', body: jpegOf(mnistDigit(5, 3), 28, 28) },
  // A larger image the worker resizes to 28x28.
  { key: 'incoming/big-but-allowed.png', body: largePng(56, 56) },
];
const badFiles = [
  { key: 'incoming/corrupt.png', body: truncatedPng(), code: 'DECODE_FAILED' },
  { key: 'incoming/empty.png', body: '', code: 'EMPTY_OBJECT' },
  { key: 'incoming/readme.txt', body: 'not an image', code: 'UNSUPPORTED_FORMAT' },
  { key: 'incoming/fake.jpg', body: 'GIF89a not a jpeg', code: 'DECODE_FAILED' },
  { key: 'incoming/oversized.png', body: largePng(400, 400), code: 'TOO_LARGE' },
] as const;

async function setUp(options: { batchSize: number; backend: TestBackend }) {
  const models = await createBucket(s3);
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  const metadata = await publishDigitsChampion(s3, models);
  // Bad files sit between good ones so mini-batches span them.
  const files: InputFile[] = [...goodFiles];
  badFiles.forEach((file, i) => files.splice(3 + i * 5, 0, file));
  const items = await uploadInputs(s3, inputs, files);
  const batchId = `images-${options.backend}-${options.batchSize}`;
  const manifestUrl = await writeManifest(s3, results, batchId, { name: 'digits' }, items);
  const lines: string[] = [];
  const env = onBackend(
    { ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results },
    options.backend,
  );
  const argv = [
    '--manifest',
    manifestUrl,
    '--batch-size',
    String(options.batchSize),
    '--max-image-pixels',
    '10000',
    '--max-error-fraction',
    '0.25',
  ];
  const run = (extra: string[] = []) =>
    runInferCommand([...argv, ...extra], (l) => lines.push(l), env);
  return { models, results, items, batchId, metadata, run, lines };
}

describeEachOnEmulator(['s3'], backendsUnderTest())(
  'worker infer on a manifest of real images, on %s',
  (backend) => {
    it('scores every good image once and puts every bad one in the error stream with its reason', async () => {
      // given 26 good images and 5 bad ones (corrupt, empty, non-image, fake JPEG, oversized)
      const batch = await setUp({ batchSize: 8, backend });

      // when shard 0 is run
      const code = await batch.run();

      // then it succeeds with exactly one result per good image and one error per bad file
      expect(code).toBe(0);
      const outputs = await readShardOutputs(s3, batch.results, batch.batchId, 0);
      const byKey = new Map(batch.items.map((item) => [item.key, item]));
      expect(outputs.results.map((r) => r.source.key).sort()).toEqual(
        goodFiles.map((f) => f.key).sort(),
      );
      expect(outputs.errors.map((e) => [e.source.key, e.code]).sort()).toEqual(
        badFiles.map((f) => [f.key, f.code]).sort(),
      );
      for (const record of [...outputs.results, ...outputs.errors]) {
        expect(record.recordId).toBe(recordId(byKey.get(record.source.key)!, 0));
      }
    });

    it('writes a summary whose counts match the streams', async () => {
      // given the same manifest
      const batch = await setUp({ batchSize: 32, backend });

      // when run
      await batch.run();

      // then the summary counts ok, failed and failures by code
      const { summary } = await readShardOutputs(s3, batch.results, batch.batchId, 0);
      expect(summary.counts).toEqual({ ok: goodFiles.length, failed: badFiles.length, skipped: 0 });
      expect(summary.errorsByCode).toEqual({
        DECODE_FAILED: 2,
        EMPTY_OBJECT: 1,
        UNSUPPORTED_FORMAT: 1,
        TOO_LARGE: 1,
      });
      expect(summary.backend).toBe(backend);
      expect(summary.model).toEqual({ name: 'digits', version: batch.metadata.version });
    });

    it('gives each image the top-3 predictions of the champion model on its normalised pixels', async () => {
      // given the champion model loaded directly from the registry
      const batch = await setUp({ batchSize: 8, backend });
      const model = await tf.loadLayersModel(
        s3ModelReader(
          `s3://${batch.models}/models/digits/versions/${batch.metadata.version}/`,
          s3,
          batch.metadata.sha256!,
        ),
      );

      // when the shard is run
      await batch.run();

      // then every PNG digit's predictions equal the model's top 3 on pixels / 255
      const { results } = await readShardOutputs(s3, batch.results, batch.batchId, 0);
      for (const { digit, index } of digits) {
        const record = results.find(
          (r) => r.source.key === `incoming/digit-${digit}-${index}.png`,
        )!;
        const pixels = Float32Array.from(mnistDigit(digit, index), (v) => v / 255);
        const scores = tf.tidy(() =>
          (model.predict(tf.tensor(pixels, [1, 28, 28, 1])) as tf.Tensor).dataSync(),
        );
        const expected = Array.from(scores)
          .map((score, label) => ({ label: String(label), score }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 3);
        expect(record.predictions.map((p) => p.label)).toEqual(expected.map((p) => p.label));
        record.predictions.forEach((p, i) => expect(p.score).toBeCloseTo(expected[i].score, 5));
        expect(record.model.version).toBe(batch.metadata.version);
      }
      model.dispose();
    });

    it('overwrites its outputs with identical objects when the shard runs again', async () => {
      // given a completed shard
      const batch = await setUp({ batchSize: 8, backend });
      await batch.run();
      const first = await readShardOutputs(s3, batch.results, batch.batchId, 0);

      // when the same shard runs again, as after a retry
      await batch.run();

      // then the results object is byte-identical and no checkpoint is left behind
      const second = await readShardOutputs(s3, batch.results, batch.batchId, 0);
      expect(second.resultsText).toBe(first.resultsText);
      expect(await listKeys(s3, batch.results, 'checkpoints/')).toEqual([]);
    });

    it('fails the shard with a clear message when failures exceed the error budget', async () => {
      // given 5 bad files among 31 and a 10% budget
      const batch = await setUp({ batchSize: 8, backend });

      // when run
      const code = await batch.run(['--max-error-fraction', '0.1']);

      // then it exits 1, says why, keeps the error stream and writes no summary
      expect(code).toBe(1);
      expect(batch.lines.at(-1)).toContain(
        `infer failed: ErrorBudgetExceededError: shard 0 of batch images-${backend}-8: 5 of 31 records failed (16.1%), above the error budget of 10.0%`,
      );
      const keys = await listKeys(s3, batch.results, '');
      expect(keys).toContain(`errors/images-${backend}-8/shard-00000.jsonl`);
      expect(keys.filter((k) => k.startsWith('summaries/'))).toEqual([]);
    });

    it('leaves no tensor behind after scoring a shard', async () => {
      // given the backend initialised by an earlier run
      const batch = await setUp({ batchSize: 4, backend });
      await batch.run();
      const before = tf.memory().numTensors;

      // when a shard of 31 objects is scored in mini-batches of 4
      await batch.run();

      // then the live tensor count is back where it started
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);
