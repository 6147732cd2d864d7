import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import { DynamoBufferStore } from '../../../lambda/batcher/dynamo-buffer-store';
import { submittedBatches } from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import {
  BATCHER_SERVICES,
  CrashInjector,
  createTestbed,
  failRequests,
  invoke,
  serviceError,
  TEST_LEASE_MS,
} from '../../helpers/batcher-harness';
import { s3EventBody, scheduledEvent, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

let shared: BatchResources;

const objects: BufferItem[] = ['a', 'b', 'c'].map((name) => ({
  bucket: 'input-bucket',
  key: `incoming/${name}.png`,
  size: 10,
  etag: `etag-${name}`,
}));

const bed3 = () =>
  createTestbed({ thresholds: { maxFiles: 3, maxBytes: 1024 ** 3, maxWaitMs: 300_000 } }, shared);

describeOnEmulator(BATCHER_SERVICES, 'batcher job submission', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('retries a throttled and a failing SubmitJob and submits the batch once', async () => {
    // given a Batch API that throttles once and then fails with a 503
    const bed = await bed3();
    const faults = [
      serviceError('TooManyRequestsException', 429),
      serviceError('ServerException', 503),
    ];
    let injected = { failed: 0 };

    // when a delivery fills a batch
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))), {
      onClients: ({ batch }) => {
        injected = failRequests(batch, 'SubmitJobCommand', 2, (n) => faults[n]);
      },
    });

    // then both faults were met and one job was submitted
    expect(injected.failed).toBe(2);
    expect((await submittedBatches(bed)).map((b) => b.jobs.length)).toEqual([1]);
  });

  it('leaves a batch pending when SubmitJob keeps failing and submits it once on the next trigger', async () => {
    // given a Batch API that fails every SubmitJob during the delivery
    const bed = await bed3();
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))), {
      onClients: ({ batch }) =>
        failRequests(batch, 'SubmitJobCommand', Infinity, () =>
          serviceError('ServerException', 500),
        ),
    });
    const store = new DynamoBufferStore(bed.dynamo, bed.config.bufferTable);
    const [pending] = await store.listUnsubmittedBatches();

    // when the schedule runs with the API healthy again
    await invoke(bed, scheduledEvent());

    // then the batch had stayed pending, and is now submitted exactly once with its job recorded
    expect(pending).toMatchObject({ state: 'SUBMITTING', leaseUntil: 0 });
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.jobs.length)).toEqual([1]);
    expect((await store.getSubmittedJob(pending.batchId))?.jobId).toBe(batches[0].jobs[0].jobId);
  });

  it('does not resubmit a batch whose lease another live invocation holds', async () => {
    // given a batch whose submitter died after taking the lease, before SubmitJob
    const bed = await bed3();
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))), {
      crash: new CrashInjector({ command: 'ListJobsCommand', timing: 'before' }),
    });

    // when the schedule runs while the lease may still be held, and again after it expired
    await invoke(bed, scheduledEvent());
    const whileLeased = await submittedBatches(bed);
    await invoke(bed, scheduledEvent(), { clockOffsetMs: 2 * TEST_LEASE_MS });

    // then nothing was submitted under the lease, and one job afterwards
    expect(whileLeased.map((b) => b.jobs.length)).toEqual([0]);
    expect((await submittedBatches(bed)).map((b) => b.jobs.length)).toEqual([1]);
  });
});
