import * as fc from 'fast-check';
import type { SQSBatchResponse } from 'aws-lambda';
import { objectVersionId } from '../../../lib/contracts/manifest';
import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import { DynamoBufferStore } from '../../../lambda/batcher/dynamo-buffer-store';
import {
  BatchResources,
  createBatchResources,
  readManifests,
} from '../../helpers/batcher-emulator-resources';
import {
  BatcherTestbed,
  createTestbed,
  invoke,
  BATCHER_SERVICES,
} from '../../helpers/batcher-harness';
import {
  S3ObjectFixture,
  s3EventBody,
  s3EventRecord,
  s3TestEventBody,
  sqsEvent,
  sqsRecord,
} from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

/**
 * Seeded property: whatever the message bodies of a delivery, the handler returns (never
 * throws), and each message is either returned as a batch item failure or has each of its
 * objects placed exactly once. Few runs: each is a delivery to the emulator.
 */

jest.setTimeout(300_000);

const SEED = 20261202;
let shared: BatchResources;

interface Message {
  readonly body: string;
  /** Not an S3 event notification: must come back as a batch item failure. */
  readonly unparseable: boolean;
  /** Objects the message must place (input bucket, under the prefix, ObjectCreated). */
  readonly placeable: readonly BufferItem[];
}

/** Few names, so that objects repeat across the messages of a delivery (S3 notifies twice). */
const object: fc.Arbitrary<S3ObjectFixture & { placeable: boolean }> = fc
  .record({
    bucket: fc.constantFrom('input-bucket', 'input-bucket', 'results-bucket', 'other-account'),
    folder: fc.constantFrom('incoming/', 'incoming/sub/', 'elsewhere/'),
    name: fc.constantFrom('a.png', 'b c.jpg', 'zürich.json', '100%.csv', ''),
    size: fc.nat({ max: 10_000_000 }),
    created: fc.boolean(),
  })
  .map(({ bucket, folder, name, size, created }) => ({
    bucket,
    key: `${folder}${name}`,
    size,
    etag: `etag-${size % 3}`,
    eventName: created ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
    placeable:
      bucket === 'input-bucket' && folder.startsWith('incoming/') && name !== '' && created,
  }));

const notification: fc.Arbitrary<Message> = fc.array(object, { maxLength: 4 }).map((objects) => ({
  body: s3EventBody(...objects),
  unparseable: false,
  placeable: objects
    .filter((o) => o.placeable)
    .map((o) => ({ bucket: o.bucket!, key: o.key, size: o.size!, etag: o.etag! })),
}));

const broken = (record: Record<string, unknown>) => JSON.stringify({ Records: [record] });
const valid = s3EventRecord({ key: 'incoming/x.png' });

/** A JSON object with Records, or the test event: what the parser reads as a notification. */
function notificationShaped(body: string): boolean {
  try {
    const value = JSON.parse(body) as Record<string, unknown> | null;
    return (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      ('Records' in value || value.Event === 's3:TestEvent')
    );
  } catch {
    return false;
  }
}

/** Bodies that are not S3 event notifications, arbitrary or adversarial. */
const garbage: fc.Arbitrary<Message> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 200 }).filter((body) => !notificationShaped(body)),
    fc.json({ maxDepth: 4 }).filter((body) => !notificationShaped(body)),
    fc.constantFrom(
      '',
      '{"Records": [42]}',
      '{"Records": "all of them"}',
      `{"Records": [${'['.repeat(50_000)}${']'.repeat(50_000)}]}`,
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      broken({
        ...valid,
        s3: { ...valid.s3, object: { ...valid.s3.object, key: 'incoming/%E0%A4%A' } },
      }),
      broken({ ...valid, eventName: 7 }),
      broken({ ...valid, eventName: 'ObjectCreated:' }),
      // S3 sends the test event alone: one carrying Records is rejected, not acknowledged.
      JSON.stringify({ ...(JSON.parse(s3TestEventBody()) as object), Records: [valid] }),
      broken({ ...valid, s3: { ...valid.s3, object: { ...valid.s3.object, size: -1 } } }),
      broken({ ...valid, s3: { ...valid.s3, object: { ...valid.s3.object, size: 2 ** 60 } } }),
      broken({ ...valid, s3: { ...valid.s3, bucket: null } }),
      `{"Records": ["${'x'.repeat(200_000)}"]}`,
    ),
  )
  .map((body) => ({ body, unparseable: true, placeable: [] }));

const testEvent: fc.Arbitrary<Message> = fc.constant({
  body: s3TestEventBody(),
  unparseable: false,
  placeable: [],
});

/** Every object version in any batch of the testbed, counted. */
async function placements(bed: BatcherTestbed): Promise<Map<string, number>> {
  const store = new DynamoBufferStore(bed.dynamo, bed.config.bufferTable);
  const members: BufferItem[] = [];
  for (const header of await store.listUnsubmittedBatches()) {
    members.push(...(await store.listMembers(header.batchId)));
  }
  for (const manifest of await readManifests(bed.s3, bed.config.resultsBucket)) {
    members.push(...manifest.items);
  }
  const counts = new Map<string, number>();
  for (const item of members) {
    counts.set(objectVersionId(item), (counts.get(objectVersionId(item)) ?? 0) + 1);
  }
  return counts;
}

describeOnEmulator(BATCHER_SERVICES, 'the batcher on arbitrary message bodies', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('never throws, and places each message exactly once or returns it as a batch item failure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: notification }, garbage, testEvent), {
          minLength: 1,
          maxLength: 8,
        }),
        async (messages) => {
          // given a delivery of generated messages, on a fresh buffer
          const bed = await createTestbed({}, shared);
          const records = messages.map((message) => sqsRecord(message.body));

          // when it is handled (a rejection fails the property)
          const response = (await invoke(bed, sqsEvent(...records))) as SQSBatchResponse;

          // then exactly the unparseable messages are failures, and every object of the
          // others that the filter accepts is in exactly one batch, nothing else
          const failed = response.batchItemFailures.map((f) => f.itemIdentifier).sort();
          expect(failed).toEqual(
            records
              .filter((_, i) => messages[i].unparseable)
              .map((r) => r.messageId)
              .sort(),
          );
          const expected = new Map(
            messages.flatMap((m) => m.placeable).map((item) => [objectVersionId(item), 1]),
          );
          expect(await placements(bed)).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 8 },
    );
  });
});
