import { s3Client } from '../../../lib/contracts/aws-clients';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { runTraining } from '../../../container/src/train/run-training';
import { prepareTrainingBackend } from '../../../container/src/train/training-backend';
import { createBucket } from '../../helpers/emulator-resources';
import { captureLog, putObject, putTrainingConfig } from '../../helpers/train-fixtures';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

const s3 = s3Client();

const prefix = 'training/risk/';

/** A point in the unit square, labelled by which side of the diagonal it lies on. */
function point(i: number): { x: number; y: number; label: string } {
  const x = (Math.sin(i * 12.9898) + 1) / 2;
  const y = (Math.cos(i * 78.233) + 1) / 2;
  return { x, y, label: x > y ? 'high' : 'low' };
}

describeOnEmulator(['s3'], 'train on labelled records', () => {
  beforeAll(async () => {
    await prepareTrainingBackend(() => undefined, {});
  });

  it('trains a features model from JSONL and CSV files with a label column', async () => {
    // given 300 JSONL records and 300 CSV rows of a separable two-class problem
    const bucket = await createBucket(s3);
    await putTrainingConfig(s3, bucket, 'risk', {
      architecture: {
        kind: 'mlp',
        input: { kind: 'features', size: 2, names: ['x', 'y'] },
        hiddenUnits: [8],
        dropout: 0,
      },
      labels: ['low', 'high'],
      epochs: 30,
      learningRate: 0.05,
      patience: 30,
      batchSize: 16,
    });
    const jsonl = Array.from({ length: 300 }, (_, i) => JSON.stringify(point(i))).join('\n');
    const csv = ['label,y,x', ...Array.from({ length: 300 }, (_, i) => point(i + 300))]
      .map((p) => (typeof p === 'string' ? p : `${p.label},${p.y},${p.x}`))
      .join('\n');
    await putObject(s3, bucket, `${prefix}2026-11/a.jsonl`, jsonl);
    await putObject(s3, bucket, `${prefix}2026-11/b.csv`, csv);

    // when trained
    const { log } = captureLog();
    const outcome = await runTraining({
      s3,
      bucket,
      modelName: 'risk',
      trainingPrefix: prefix,
      flags: {},
      log,
    });

    // then all 600 records were used and the promoted version separates the classes
    expect(outcome.trainSamples + outcome.metrics.validationSamples).toBe(600);
    expect(outcome.promoted).toBe(true);
    expect(outcome.metrics.validationAccuracy).toBeGreaterThan(0.9);
    const champion = await new ModelRegistry(s3, bucket, 'risk').championMetadata();
    expect(champion!.trainingData!.countsByLabel).toEqual({
      high: expect.any(Number) as number,
      low: expect.any(Number) as number,
    });
  });

  it('skips and counts records with a missing label, an unknown label or a bad feature', async () => {
    // given a JSONL file with three bad lines among good ones
    const bucket = await createBucket(s3);
    await putTrainingConfig(s3, bucket, 'risk', {
      architecture: {
        kind: 'mlp',
        input: { kind: 'features', size: 2, names: ['x', 'y'] },
        hiddenUnits: [],
        dropout: 0,
      },
      labels: ['low', 'high'],
      epochs: 1,
    });
    const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify(point(i)));
    lines.splice(10, 0, JSON.stringify({ x: 0.1, y: 0.2 }));
    lines.splice(20, 0, JSON.stringify({ x: 0.1, y: 0.2, label: 'medium' }));
    lines.splice(30, 0, JSON.stringify({ x: 'n/a', y: 0.2, label: 'low' }));
    await putObject(s3, bucket, `${prefix}a.jsonl`, lines.join('\n'));

    // when trained
    const { log } = captureLog();
    const outcome = await runTraining({
      s3,
      bucket,
      modelName: 'risk',
      trainingPrefix: prefix,
      flags: {},
      log,
    });

    // then each bad line is counted by kind and the 60 good ones are used
    expect(outcome.skipped.counts).toMatchObject({
      'missing-label': 1,
      'unknown-label': 1,
      unreadable: 1,
    });
    expect(outcome.trainSamples + outcome.metrics.validationSamples).toBe(60);
  });
});
