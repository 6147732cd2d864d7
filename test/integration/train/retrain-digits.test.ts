import { s3Client } from '../../../lib/contracts/aws-clients';
import { modelKeys } from '../../../lib/contracts/keys';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { ModelRegistry, TRAINING_DATA_FILE } from '../../../container/src/registry/model-registry';
import { runTrainCommand } from '../../../container/src/train/train-command';
import { createBucket } from '../../helpers/emulator-resources';
import { digitPng, digitRange, uploadDigits } from '../../helpers/train-digits';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { captureLog, keysUnder } from '../../helpers/train-fixtures';
import { getText, readShardOutputs } from '../../helpers/worker-results';
import { uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import { describeEachOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(600_000);

const s3 = s3Client();
const PER_DIGIT = 40;

const onEachBackend = describeEachOnEmulator(['s3'], backendsUnderTest());

/**
 * One registry per backend, shared by the steps below, in order: a first training run, a worse
 * challenger, an operator promotion and rollback, then inference. Each step states what it
 * starts from.
 */
onEachBackend('train on real digits from the emulator, on %s', (backend) => {
  let bucket: string;
  let registry: ModelRegistry;
  let first: ModelMetadata;
  let worse: ModelMetadata;

  function train(extra: string[]) {
    const { lines, log } = captureLog();
    const env = onBackend({ ...process.env, MODEL_BUCKET: bucket }, backend);
    return runTrainCommand(['--model', 'digits', ...extra], log, env).then((code) => ({
      code,
      lines,
    }));
  }

  beforeAll(async () => {
    bucket = await createBucket(s3);
    registry = new ModelRegistry(s3, bucket, 'digits');
    await uploadDigits(s3, bucket, 'training/digits/', digitRange(0, PER_DIGIT));
  });

  it('registers a version with metrics and its training data, and makes the first one champion', async () => {
    // given 400 real digit PNGs under training/digits/<label>/ and no model yet

    // when the retrain job runs with the digits architecture
    const { code, lines } = await train(['--architecture', 'digits-cnn', '--epochs', '4']);

    // then it succeeds and the champion is a new version with metrics far above chance
    expect({ code, lines }).toMatchObject({ code: 0 });
    first = (await registry.championMetadata())!;
    expect(first.metrics!.validationSamples).toBeGreaterThan(0);
    expect(first.metrics!.validationAccuracy).toBeGreaterThan(0.3);
    expect(first.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(first.input).toMatchObject({ kind: 'image', width: 28, height: 28, channels: 1 });
    // and it records the data it was trained on: the object list and counts per label
    expect(first.trainingData).toMatchObject({
      source: `s3://${bucket}/training/digits/`,
      objectCount: 10 * PER_DIGIT,
    });
    expect(Object.values(first.trainingData!.countsByLabel)).toEqual(
      Array.from({ length: 10 }, () => PER_DIGIT),
    );
    const listing = await getText(
      s3,
      bucket,
      modelKeys.version('digits', first.version) + TRAINING_DATA_FILE,
    );
    expect(listing.trim().split('\n')).toHaveLength(10 * PER_DIGIT);
    expect((await registry.history()).map((e) => [e.event, e.version])).toEqual([
      ['promote', first.version],
    ]);
  });

  it('keeps the champion when a deliberately worse challenger is trained', async () => {
    // given the first champion

    // when the champion is fine-tuned with a learning rate far too high to converge
    const { code } = await train(['--learning-rate', '5', '--epochs', '1']);

    // then the run succeeds, registers the worse version, rejects it and leaves the pointer
    expect(code).toBe(0);
    const versions = await registry.listVersions();
    worse = versions.find((v) => v.version !== first.version)!;
    expect(worse.parentVersion).toBe(first.version);
    expect(worse.metrics!.validationAccuracy).toBeLessThan(first.metrics!.validationAccuracy);
    expect((await registry.champion())!.version).toBe(first.version);
    expect((await registry.history()).at(-1)).toMatchObject({
      event: 'reject',
      version: worse.version,
      previousVersion: first.version,
    });
  });

  it('restores the earlier champion on rollback, and the history shows both events', async () => {
    // given an operator who promoted the worse version by hand
    await registry.promote(worse.version, 'operator override');

    // when the champion is rolled back
    await registry.rollback('bad promotion');

    // then the first version is champion again and history holds the promotion and the rollback
    expect((await registry.champion())!.version).toBe(first.version);
    expect(
      (await registry.history()).slice(-2).map((e) => [e.event, e.version, e.previousVersion]),
    ).toEqual([
      ['promote', worse.version, first.version],
      ['rollback', first.version, worse.version],
    ]);
  });

  it('scores an inference run afterwards with the champion the pointer names', async () => {
    // given the rolled-back champion and digits the model never saw
    const inputs = await createBucket(s3);
    const results = await createBucket(s3);
    const files = digitRange(PER_DIGIT, 1).map(({ digit, index }) => ({
      key: `incoming/${digit}-${index}.png`,
      body: digitPng(digit, index),
    }));
    const items = await uploadInputs(s3, inputs, files);
    const manifest = await writeManifest(s3, results, 'after-rollback', { name: 'digits' }, items);

    // when a shard is run without a pinned version
    const { lines, log } = captureLog();
    const code = await runInferCommand(
      ['--manifest', manifest],
      log,
      onBackend({ ...process.env, MODEL_BUCKET: bucket, RESULTS_BUCKET: results }, backend),
    );

    // then every record names the champion's version, not the later rolled-back one
    expect({ code, lines }).toMatchObject({ code: 0 });
    const outputs = await readShardOutputs(s3, results, 'after-rollback', 0);
    expect(outputs.results).toHaveLength(files.length);
    expect(new Set(outputs.results.map((r) => r.model.version))).toEqual(new Set([first.version]));
  });

  it('writes nothing under the registry prefix except versions, the pointer and history', async () => {
    // given the runs above / when the registry prefix is listed
    const keys = await keysUnder(s3, bucket, modelKeys.root('digits'));

    // then every key belongs to the contract's layout
    const root = modelKeys.root('digits');
    expect(
      keys.filter(
        (k) => !/^(versions\/[^/]+\/|history\/|champion\.json$)/.test(k.slice(root.length)),
      ),
    ).toEqual([]);
  });
});
