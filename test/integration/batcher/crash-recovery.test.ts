import type { SQSEvent } from 'aws-lambda';
import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import {
  jobCounts,
  manifestCountsByObject,
  onceEach,
  submittedBatches,
} from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import {
  BATCHER_SERVICES,
  CrashInjector,
  createTestbed,
  invoke,
  TEST_LEASE_MS,
} from '../../helpers/batcher-harness';
import { s3EventBody, scheduledEvent, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

// Each crash point replays a whole delivery against the emulator.
jest.setTimeout(300_000);

let shared: BatchResources;
let requestsOfOneDelivery: string[];
let requestsOfOneSweep: string[];
const MAX_WAIT_MS = 300_000;

const items: BufferItem[] = ['a.png', 'b c.png', 'd+e.png', 'f.png'].map((name, i) => ({
  bucket: 'input-bucket',
  key: `incoming/${name}`,
  size: 100 + i,
  etag: `etag-${i}`,
}));

/** Two records in one message, then one per message; the batch fills (4 files) and closes. */
const delivery = (): SQSEvent =>
  sqsEvent(
    sqsRecord(s3EventBody(items[0], items[1]), 'm1'),
    sqsRecord(s3EventBody(items[2]), 'm2'),
    sqsRecord(s3EventBody(items[3]), 'm3'),
  );

const bedFor = () =>
  createTestbed(
    { thresholds: { maxFiles: 4, maxBytes: 1024 ** 3, maxWaitMs: MAX_WAIT_MS } },
    shared,
  );

/** The crashed invocation, then SQS redelivering the batch after the lease, then the schedule. */
async function crashThenRecover(crash: CrashInjector) {
  const bed = await bedFor();
  await invoke(bed, delivery(), { crash }).catch(() => undefined);
  await invoke(bed, delivery(), { clockOffsetMs: 2 * TEST_LEASE_MS });
  await invoke(bed, scheduledEvent(), { clockOffsetMs: 2 * TEST_LEASE_MS });
  return submittedBatches(bed);
}

/** A batch of 3 (not full) aged past max wait; the schedule that closes it crashes, then runs again. */
async function sweepCrashThenRecover(crash: CrashInjector) {
  const bed = await bedFor();
  await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...items.slice(0, 3)))));
  await invoke(bed, scheduledEvent(), { crash, clockOffsetMs: MAX_WAIT_MS }).catch(() => undefined);
  await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS + 2 * TEST_LEASE_MS });
  return submittedBatches(bed);
}

describeOnEmulator(BATCHER_SERVICES, 'batcher crash recovery', () => {
  beforeAll(async () => {
    const bed = await bedFor();
    shared = await createBatchResources(bed.batch);
    const recorder = new CrashInjector();
    await invoke({ ...bed, config: { ...bed.config, jobQueue: shared.jobQueueArn } }, delivery(), {
      crash: recorder,
    });
    requestsOfOneDelivery = recorder.calls;
    const sweepRecorder = new CrashInjector();
    await sweepCrashThenRecover(sweepRecorder);
    requestsOfOneSweep = sweepRecorder.calls;
  });

  it('makes every request of the delivery path, from buffering to SubmitJob, a crash point', () => {
    // given the requests one undisturbed delivery makes
    // then they span buffering, the manifest and the submission
    expect(requestsOfOneDelivery).toEqual(
      expect.arrayContaining([
        'PutItemCommand',
        'UpdateItemCommand',
        'BatchWriteItemCommand',
        'PutObjectCommand',
        'ListJobsCommand',
        'SubmitJobCommand',
      ]),
    );
  });

  it('submits each object exactly once when the invocation dies before any one of its requests', async () => {
    // given a crash before request i, for every i of the delivery path
    for (let index = 0; index < requestsOfOneDelivery.length; index += 1) {
      // when the delivery crashes there, is redelivered and the schedule runs
      const batches = await crashThenRecover(new CrashInjector({ index, timing: 'before' }));

      // then every object is in exactly one manifest, and each manifest has exactly one job
      const step = `crash before request ${index} (${requestsOfOneDelivery[index]})`;
      expect({ step, counts: manifestCountsByObject(batches) }).toEqual({
        step,
        counts: onceEach(items),
      });
      expect({ step, jobs: jobCounts(batches) }).toEqual({ step, jobs: [1] });
    }
  });

  it('submits each object exactly once when the invocation dies after any one of its requests took effect', async () => {
    // given a crash after request i took effect, for every i of the delivery path
    for (let index = 0; index < requestsOfOneDelivery.length; index += 1) {
      // when the delivery crashes there, is redelivered and the schedule runs
      const batches = await crashThenRecover(new CrashInjector({ index, timing: 'after' }));

      // then every object is in exactly one manifest, and each manifest has exactly one job
      const step = `crash after request ${index} (${requestsOfOneDelivery[index]})`;
      expect({ step, counts: manifestCountsByObject(batches) }).toEqual({
        step,
        counts: onceEach(items),
      });
      expect({ step, jobs: jobCounts(batches) }).toEqual({ step, jobs: [1] });
    }
  });

  it('submits an aged batch exactly once when the schedule that closes it dies before or after any request', async () => {
    // given a crash before or after request i of the closing schedule, for every i
    for (let index = 0; index < requestsOfOneSweep.length; index += 1) {
      for (const timing of ['before', 'after'] as const) {
        // when the schedule crashes there, and runs again after the lease
        const batches = await sweepCrashThenRecover(new CrashInjector({ index, timing }));

        // then the three objects are in exactly one manifest, with exactly one job
        const step = `crash ${timing} request ${index} (${requestsOfOneSweep[index]})`;
        expect({ step, counts: manifestCountsByObject(batches) }).toEqual({
          step,
          counts: onceEach(items.slice(0, 3)),
        });
        expect({ step, jobs: jobCounts(batches) }).toEqual({ step, jobs: [1] });
      }
    }
  });
});
