import { s3Client } from '../../../lib/contracts/aws-clients';
import { MODEL_PREFIXES } from '../../../lib/contracts/keys';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { DIGITS_CNN } from '../../../container/src/train/architecture';
import { EmptyDatasetError, TrainConfigError } from '../../../container/src/train/errors';
import { runTraining } from '../../../container/src/train/run-training';
import { prepareTrainingBackend } from '../../../container/src/train/training-backend';
import { runTrainCommand } from '../../../container/src/train/train-command';
import { createBucket } from '../../helpers/emulator-resources';
import { digitPng, digitRange, uploadDigits } from '../../helpers/train-digits';
import { captureLog, keysUnder, putObject, putTrainingConfig } from '../../helpers/train-fixtures';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(300_000);

const s3 = s3Client();

const prefix = 'training/digits/';
const quick = { '--epochs': '1', '--architecture': 'digits-cnn' };

function trainDigits(bucket: string, flags: Record<string, string> = quick) {
  const { log } = captureLog();
  return runTraining({ s3, bucket, modelName: 'digits', trainingPrefix: prefix, flags, log });
}

describeOnEmulator(['s3'], 'train with bad data', () => {
  beforeAll(async () => {
    await prepareTrainingBackend(() => undefined, {});
  });

  it('skips and counts unreadable and unsupported files, and trains on the rest', async () => {
    // given good digits plus a truncated PNG, a text file posing as an image and a stray note
    const bucket = await createBucket(s3);
    await uploadDigits(s3, bucket, prefix, digitRange(0, 8));
    await putObject(s3, bucket, `${prefix}3/truncated.png`, digitPng(3, 99).subarray(0, 60));
    await putObject(s3, bucket, `${prefix}4/fake.jpg`, 'not a jpeg');
    await putObject(s3, bucket, `${prefix}notes.txt`, 'collected by the demo');

    // when trained
    const outcome = await trainDigits(bucket);

    // then the bad files are counted by kind and the good ones produced a version
    expect(outcome.skipped.counts).toEqual({
      unreadable: 2,
      'missing-label': 0,
      'unknown-label': 0,
      'unsupported-file': 1,
    });
    expect(outcome.skipped.examples.unreadable.join('\n')).toMatch(/truncated\.png: cannot decode/);
    expect(outcome.trainSamples + outcome.metrics.validationSamples).toBe(80);
  });

  it('skips and counts images with an unknown label or outside any label folder', async () => {
    // given labels fixed to 0-9 by config, digits, an image in folder "x" and one at the root
    const bucket = await createBucket(s3);
    await putTrainingConfig(s3, bucket, 'digits', {
      architecture: 'digits-cnn',
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      epochs: 1,
    });
    await uploadDigits(s3, bucket, prefix, digitRange(0, 8));
    await putObject(s3, bucket, `${prefix}x/odd.png`, digitPng(1, 50));
    await putObject(s3, bucket, `${prefix}loose.png`, digitPng(2, 50));

    // when trained
    const outcome = await trainDigits(bucket, {});

    // then one of each is counted, naming the label and the key
    expect(outcome.skipped.counts).toMatchObject({ 'unknown-label': 1, 'missing-label': 1 });
    expect(outcome.skipped.examples['unknown-label']).toEqual([
      `${prefix}x/odd.png: label 'x' is not one of the model's labels`,
    ]);
  });

  it('fails an empty data set without touching the registry', async () => {
    // given a bucket with no training data
    const bucket = await createBucket(s3);

    // when the job runs
    const { lines, log } = captureLog();
    const code = await runTrainCommand(['--model', 'digits', '--architecture', 'digits-cnn'], log, {
      ...process.env,
      MODEL_BUCKET: bucket,
    });

    // then it exits 1 with a clear message and nothing is written under models/
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      `train failed: EmptyDatasetError: no training data under s3://${bucket}/${prefix} (0 objects skipped as unusable)`,
    );
    expect(await keysUnder(s3, bucket, MODEL_PREFIXES.models)).toEqual([]);
  });

  it('fails a data set with no readable sample without touching the registry', async () => {
    // given only corrupt images
    const bucket = await createBucket(s3);
    await putObject(s3, bucket, `${prefix}1/a.png`, 'garbage');
    await putObject(s3, bucket, `${prefix}2/b.png`, 'garbage');
    await putObject(s3, bucket, `${prefix}3/c.png`, 'garbage');

    // when trained / then the run fails as an empty data set
    await expect(trainDigits(bucket)).rejects.toThrow(EmptyDatasetError);
    expect(await keysUnder(s3, bucket, MODEL_PREFIXES.models)).toEqual([]);
  });

  it('refuses a first run without an architecture, naming where to set it', async () => {
    // given images for a model that has no default architecture, no champion and no config
    const bucket = await createBucket(s3);
    await uploadDigits(s3, bucket, 'training/shapes/', digitRange(0, 1));

    // when trained / then the config error says where the architecture goes
    const { log } = captureLog();
    await expect(
      runTraining({
        s3,
        bucket,
        modelName: 'shapes',
        trainingPrefix: 'training/shapes/',
        flags: {},
        log,
      }),
    ).rejects.toThrow(
      new TrainConfigError(
        `model 'shapes' has no champion to fine-tune and no architecture: set 'architecture' in s3://${bucket}/models/shapes/training-config.json or pass --architecture`,
      ),
    );
  });

  it('builds the digits model by default, with no configuration at all', async () => {
    // given digits and nothing else: no config, no flag, no champion
    const bucket = await createBucket(s3);
    await uploadDigits(s3, bucket, prefix, digitRange(0, 4));

    // when `train --model digits` runs with one epoch
    const outcome = await trainDigits(bucket, { '--epochs': '1' });

    // then the first version is the digits CNN over 28x28 grayscale digits
    expect(outcome.promoted).toBe(true);
    const model = await new ModelRegistry(s3, bucket, 'digits').loadLayersModel(outcome.version);
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(
      DIGITS_CNN.kind === 'cnn' ? DIGITS_CNN.convFilters.length : 0,
    );
  });
});
