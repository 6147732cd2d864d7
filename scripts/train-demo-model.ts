/**
 * Trains the demo digits model end to end, the way the retrain job does: real MNIST digits as
 * PNGs in the model bucket (training/digits/<label>/), `train --model digits`, then the
 * champion scored on digits it never saw. Prints time, CPU time and held-out accuracy.
 *
 *   npx tsx scripts/train-demo-model.ts [--per-digit 300] [--test-per-digit 100] [train flags...]
 *
 * Uses AWS_ENDPOINT_URL when set, else starts a private moto server for the run.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { s3Client } from '../lib/contracts/aws-clients';
import { ModelRegistry } from '../container/src/registry/model-registry';
import { evaluateModel } from '../container/src/train/evaluate-model';
import { trainingConfigKey } from '../container/src/train/run-training';
import { runTrainCommand } from '../container/src/train/train-command';
import { digitCount, digitRange, digitSample, uploadDigits } from '../test/helpers/train-digits';
import { emulatorEnvironment, startEmulator } from './local/moto-server';

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const [, value] = args.splice(index, 2);
  return Number(value);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const perDigit = option(args, '--per-digit', 300);
  const testPerDigit = option(args, '--test-per-digit', 100);
  const minCount = Math.min(...Array.from({ length: 10 }, (_, d) => digitCount(d)));
  if (perDigit + testPerDigit > minCount) {
    throw new Error(`--per-digit + --test-per-digit must be at most ${minCount}`);
  }
  const emulator = await startEmulator((line) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  try {
    const s3 = s3Client();
    const bucket = `demo-models-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: trainingConfigKey('digits'),
        Body: JSON.stringify({ architecture: 'digits-cnn' }),
      }),
    );
    await uploadDigits(s3, bucket, 'training/digits/', digitRange(0, perDigit));

    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    const code = await runTrainCommand(
      ['--model', 'digits', ...args],
      (line) => process.stderr.write(`${line}\n`),
      { ...process.env, MODEL_BUCKET: bucket },
    );
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (code !== 0) throw new Error(`train exited with ${code}`);

    const registry = new ModelRegistry(s3, bucket, 'digits');
    const champion = (await registry.championMetadata())!;
    const model = await registry.loadLayersModel(champion.version);
    async function* testDigits() {
      for (const { digit, index } of digitRange(perDigit, testPerDigit))
        yield digitSample(digit, index);
    }
    const test = await evaluateModel(model, testDigits(), 256, [28, 28, 1], 10);
    console.log(
      JSON.stringify(
        {
          trainingImages: perDigit * 10,
          trainSeconds: seconds,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          backend: tf.getBackend(),
          version: champion.version,
          validation: champion.metrics,
          unseenTest: test,
        },
        null,
        2,
      ),
    );
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
