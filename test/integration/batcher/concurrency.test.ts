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
  createTestbed,
  invoke,
  RequestSerializer,
  runBefore,
  TEST_LEASE_MS,
} from '../../helpers/batcher-harness';
import { s3EventBody, scheduledEvent, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

let shared: BatchResources;
const MAX_WAIT_MS = 300_000;
const thresholds = { maxFiles: 7, maxBytes: 1024 ** 3, maxWaitMs: MAX_WAIT_MS };

const objects = (count: number): BufferItem[] =>
  Array.from({ length: count }, (_, i) => ({
    bucket: 'input-bucket',
    key: `incoming/object ${String(i).padStart(3, '0')}.png`,
    size: 1000 + i,
    etag: `etag-${i}`,
  }));

describeOnEmulator(BATCHER_SERVICES, 'batcher under concurrent invocations', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('puts each object in exactly one submitted batch when overlapping deliveries run at once', async () => {
    // given 40 objects and 8 deliveries, each object in two of them, one also notified twice
    const bed = await createTestbed({ thresholds, shardSize: 3 }, shared);
    const items = objects(40);
    const deliveries = Array.from({ length: 8 }, (_, k) =>
      sqsEvent(
        ...Array.from({ length: 10 }, (_, j) => items[(k * 5 + j) % items.length]).map((item, j) =>
          sqsRecord(s3EventBody(...(j === 0 ? [item, item] : [item]))),
        ),
      ),
    );
    const serializer = new RequestSerializer();

    // when all deliveries run concurrently, then the schedule closes what is left
    await Promise.all(deliveries.map((event) => invoke(bed, event, { serializer })));
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS + 2 * TEST_LEASE_MS });

    // then every object is in exactly one manifest, and every manifest has exactly one job
    const batches = await submittedBatches(bed);
    expect(manifestCountsByObject(batches)).toEqual(onceEach(items));
    expect(jobCounts(batches)).toEqual(
      batches.filter((b) => b.manifest.items.length > 0).map(() => 1),
    );
  });

  it('keeps every batch within max files when concurrent deliveries race for its last places', async () => {
    // given 8 deliveries of 5 distinct objects each, racing for batches of 7
    const bed = await createTestbed({ thresholds, shardSize: 3 }, shared);
    const items = objects(40);
    const serializer = new RequestSerializer();

    // when they run concurrently
    await Promise.all(
      Array.from({ length: 8 }, (_, k) =>
        invoke(
          bed,
          sqsEvent(...items.slice(k * 5, k * 5 + 5).map((item) => sqsRecord(s3EventBody(item)))),
          { serializer },
        ),
      ),
    );
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS + 2 * TEST_LEASE_MS });

    // then no manifest lists more than 7 objects
    const sizes = (await submittedBatches(bed)).map((b) => b.manifest.items.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
  });

  it('submits a closed batch once when several schedule triggers sweep it at the same time', async () => {
    // given an aged batch of 3 objects
    const bed = await createTestbed({ thresholds, shardSize: 3 }, shared);
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects(3)))));
    const serializer = new RequestSerializer();

    // when five scheduled invocations run at once after max wait
    await Promise.all(
      Array.from({ length: 5 }, () =>
        invoke(bed, scheduledEvent(), { serializer, clockOffsetMs: MAX_WAIT_MS }),
      ),
    );

    // then one manifest exists, with one plain job (a single shard)
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.jobs.length)).toEqual([1]);
    expect(batches[0].jobs[0].arrayProperties).toBeUndefined();
  });

  it('moves an object to the next batch when its batch closes between its reservation and its member write', async () => {
    // given an open batch holding one object
    const bed = await createTestbed({ thresholds, shardSize: 3 }, shared);
    const [first, second] = objects(2);
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(first))));

    // when a delivery of a second object reserves room, and the schedule closes and submits
    // the batch before that delivery writes its member record
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(second))), {
      onClients: ({ dynamo }) =>
        runBefore(dynamo, 'BatchWriteItemCommand', () =>
          invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS }),
        ),
    });
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS + 2 * TEST_LEASE_MS });

    // then each object is in exactly one submitted batch: the second one in a batch of its own
    const batches = await submittedBatches(bed);
    expect(manifestCountsByObject(batches)).toEqual(onceEach([first, second]));
    expect(jobCounts(batches)).toEqual([1, 1]);
  });
});
