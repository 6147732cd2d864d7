import * as fc from 'fast-check';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { resultKeys } from '../../../lib/contracts/keys';
import { ErrorRecord, MAX_REASON_BYTES } from '../../../lib/contracts/records';
import { loadNative } from '../../../container/src/backend/load-native';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { objectRecords } from '../../../container/src/infer/input/object-records';
import { createBucket } from '../../helpers/emulator-resources';
import {
  csvObject,
  FEATURES,
  GeneratedImage,
  jpegImage,
  jsonlObject,
  jsonObject,
  pngImage,
} from '../../helpers/hostile-inputs';
import { uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import {
  DIGITS_INPUT,
  publishDigitsChampion,
  publishFeaturesChampion,
} from '../../helpers/worker-model-fixture';
import { getText, listKeys, readShardOutputs } from '../../helpers/worker-results';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

/**
 * Whole shards of generated objects through the worker, as the job runs it: the shard
 * completes, or fails only through the error budget, and every bad record is exactly one
 * error record. Few runs: each is a real shard on the emulator.
 */

jest.setTimeout(300_000);

const SEED = 20261202;
const s3 = s3Client();
let models: string;

interface ShardFile {
  readonly key: string;
  readonly body: Uint8Array;
  readonly good: readonly number[];
  readonly bad: readonly number[];
}

const at = (key: string, offset: number) => `${key}@${offset}`;

/**
 * The decoders the worker below uses: TensorFlow's when tfjs-node loads (it then runs on it),
 * else the JavaScript ones. Which corrupted images still decode differs between them (libpng
 * ignores compressed data past the last row, as Python's tf.io.decode_png does).
 */
const WORKER_DECODE_LIMITS = {
  maxPixels: 40_000_000,
  ...(loadNative(['cpu']).loaded ? { native: 'cpu' as const } : {}),
};

/** Runs one shard of `files`; checks the outcome against the error budget and every record. */
async function expectShardHonoursBudget(
  files: readonly ShardFile[],
  model: string,
  maxErrorFraction: number,
): Promise<void> {
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  const items = await uploadInputs(s3, inputs, [...files]);
  const batchId = `props-${Math.random().toString(36).slice(2, 8)}`;
  const manifestUrl = await writeManifest(s3, results, batchId, { name: model }, items);
  const lines: string[] = [];
  const code = await runInferCommand(
    ['--manifest', manifestUrl, '--max-error-fraction', String(maxErrorFraction)],
    (line) => lines.push(line),
    { ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results },
  );

  const good = files.flatMap((file) => file.good.map((offset) => at(file.key, offset)));
  const bad = files.flatMap((file) => file.bad.map((offset) => at(file.key, offset)));
  const withinBudget = bad.length <= maxErrorFraction * (good.length + bad.length);
  const errorsText = await getText(s3, results, resultKeys.errors(batchId, 0));
  const errors = errorsText
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ErrorRecord);

  // Exactly one error record per bad record, each reason bounded and naming something.
  expect(errors.map((e) => at(e.source.key, e.source.offset)).sort()).toEqual([...bad].sort());
  for (const { reason } of errors) {
    expect(reason.length).toBeGreaterThan(10);
    expect(Buffer.byteLength(reason, 'utf8')).toBeLessThanOrEqual(MAX_REASON_BYTES);
  }
  if (withinBudget) {
    // The shard completes with every good record scored.
    expect(code).toBe(0);
    const outputs = await readShardOutputs(s3, results, batchId, 0);
    expect(outputs.results.map((r) => at(r.source.key, r.source.offset)).sort()).toEqual(
      [...good].sort(),
    );
  } else {
    // The shard fails through the error budget, and only so: no results, no summary.
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/above the error budget/);
    expect(await listKeys(s3, results, resultKeys.summary(batchId, 0))).toEqual([]);
  }
}

const budget = fc.constantFrom(0, 0.25, 0.5, 1);

describeOnEmulator(['s3'], 'a shard of generated inputs', () => {
  beforeAll(async () => {
    models = await createBucket(s3);
    await publishFeaturesChampion(s3, models, FEATURES, ['small', 'large']);
    await publishDigitsChampion(s3, models);
  });

  it('of JSON, JSONL and CSV records completes or fails only through the error budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(jsonlObject, jsonObject, csvObject), { minLength: 1, maxLength: 5 }),
        budget,
        async (objects, maxErrorFraction) => {
          const files = objects.map((object, i) => ({
            key: `in/${i}-${object.key.split('/').pop()}`,
            body: object.body,
            good: object.goodOffsets,
            bad: object.badOffsets,
          }));
          await expectShardHonoursBudget(files, 'tabular', maxErrorFraction);
        },
      ),
      { seed: SEED, numRuns: 4 },
    );
  });

  it('of PNG and JPEG images, intact and corrupted, completes or fails only through the error budget', async () => {
    // A corrupted image may still decode (a byte overwritten with itself, a cut after IEND):
    // the per-object boundary, whose properties the unit suite checks, says which.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(pngImage, jpegImage), { minLength: 1, maxLength: 6 }),
        budget,
        async (images: GeneratedImage[], maxErrorFraction) => {
          const files = images.map((image, i) => {
            const key = `in/${i}-${image.key.split('/').pop()}`;
            const decodes =
              image.intact ||
              objectRecords(key, image.bytes, DIGITS_INPUT, WORKER_DECODE_LIMITS).samples.length ===
                1;
            return { key, body: image.bytes, good: decodes ? [0] : [], bad: decodes ? [] : [0] };
          });
          await expectShardHonoursBudget(files, 'digits', maxErrorFraction);
        },
      ),
      { seed: SEED, numRuns: 3 },
    );
  });
});
