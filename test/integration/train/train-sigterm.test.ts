import { s3Client } from '../../../lib/contracts/aws-clients';
import { modelKeys } from '../../../lib/contracts/keys';
import { createBucket } from '../../helpers/emulator-resources';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { digitRange, uploadDigits } from '../../helpers/train-digits';
import { keysUnder } from '../../helpers/train-fixtures';
import { startWorker, waitFor } from '../../helpers/worker-process';
import { describeEachOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(180_000);

const s3 = s3Client();

const onEachBackend = describeEachOnEmulator(['s3'], backendsUnderTest());

onEachBackend('a train job stopped by SIGTERM, on %s', (backend) => {
  it('stops between mini-batches, exits 1 and leaves the registry untouched', async () => {
    // given a train job in its own process, as AWS Batch runs it, past its first epoch
    const bucket = await createBucket(s3);
    await uploadDigits(s3, bucket, 'training/digits/', digitRange(0, 40));
    const worker = startWorker(
      ['train', '--model', 'digits', '--architecture', 'digits-cnn', '--epochs', '50'],
      onBackend({ ...process.env, MODEL_BUCKET: bucket }, backend),
    );
    await waitFor(async () => worker.output.text.includes('"event":"epoch"'), 'a first epoch');

    // when it receives SIGTERM, as AWS Batch stops a container
    worker.child.kill('SIGTERM');
    const code = await worker.exited;

    // then it said where it stopped, exited 1, and nothing was written under the model's prefix
    expect(code).toBe(1);
    expect(worker.output.text).toContain('SIGTERM: stopping after the current mini-batch');
    expect(worker.output.text).toMatch(
      /train failed: TrainingStoppedError: stopped in epoch \d+ after \d+ samples; nothing was written to the registry/,
    );
    expect(await keysUnder(s3, bucket, modelKeys.root('digits'))).toEqual([]);
  });
});
