import type { SQSBatchResponse } from 'aws-lambda';
import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import { DynamoBufferStore } from '../../../lambda/batcher/dynamo-buffer-store';
import { submittedBatches } from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import { BATCHER_SERVICES, createTestbed, invoke } from '../../helpers/batcher-harness';
import {
  s3EventBody,
  s3TestEventBody,
  scheduledEvent,
  sqsEvent,
  sqsRecord,
} from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

let shared: BatchResources;
const MAX_WAIT_MS = 300_000;

const object = (name: string, size = 100): BufferItem => ({
  bucket: 'input-bucket',
  key: `incoming/${name}`,
  size,
  etag: `etag-${name}`,
});

const bedWith = (maxFiles: number, maxBytes = 1024 ** 3) =>
  createTestbed({ thresholds: { maxFiles, maxBytes, maxWaitMs: MAX_WAIT_MS } }, shared);

const metricLines = (lines: string[], name: string) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => name in l);

describeOnEmulator(BATCHER_SERVICES, 'batcher closing rules on the emulator', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('keeps a young batch open when the schedule runs', async () => {
    // given a batch of two objects, well under every threshold
    const bed = await bedWith(10);
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(object('a'), object('b')))));

    // when the schedule runs before max wait
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS / 2 });

    // then nothing is submitted
    expect(await submittedBatches(bed)).toEqual([]);
  });

  it('closes an aged batch on the schedule when no upload arrives', async () => {
    // given a batch of two objects
    const bed = await bedWith(10);
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(object('a'), object('b')))));

    // when the schedule runs once the oldest item has waited max wait
    const lines: string[] = [];
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS, lines });

    // then the batch is submitted, counted as closed in the total and under max-wait
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.manifest.items.length)).toEqual([2]);
    const closed = metricLines(lines, 'BatchesClosed');
    expect(closed.map((l) => [l.Reason, l.BatchesClosed])).toEqual([
      [undefined, 1],
      ['max-wait', 1],
    ]);
  });

  it('closes a batch when the next object would exceed max bytes', async () => {
    // given batches of at most 250 bytes
    const bed = await bedWith(10, 250);

    // when objects of 100, 100 and 100 bytes arrive
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(object('a'), object('b'), object('c')))));

    // then the first two are submitted together and the third waits in the next batch
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.manifest.items.map((i) => i.key))).toEqual([
      ['incoming/a', 'incoming/b'],
    ]);
  });

  it('gives an object larger than max bytes a batch of its own', async () => {
    // given batches of at most 250 bytes
    const bed = await bedWith(10, 250);

    // when a 1,000-byte object arrives
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(object('huge', 1000)))));

    // then it is submitted alone at once
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.manifest.items.map((i) => i.key))).toEqual([['incoming/huge']]);
  });

  it('adds nothing to a second batch when a submitted batch is delivered again', async () => {
    // given a batch of two objects that closed at max files and was submitted
    const bed = await bedWith(2);
    const event = sqsEvent(sqsRecord(s3EventBody(object('a'), object('b')), 'm1'));
    await invoke(bed, event);

    // when SQS delivers the same message again and the schedule runs later
    const response = (await invoke(bed, event)) as SQSBatchResponse;
    await invoke(bed, scheduledEvent(), { clockOffsetMs: MAX_WAIT_MS });

    // then it is acknowledged and the objects stay in their one batch
    expect(response.batchItemFailures).toEqual([]);
    expect((await submittedBatches(bed)).map((b) => b.manifest.items.length)).toEqual([2]);
  });

  it('returns an unparseable message as a batch item failure and buffers the other messages', async () => {
    // given a delivery with a body that is not JSON between two good ones
    const bed = await bedWith(2);
    const event = sqsEvent(
      sqsRecord(s3EventBody(object('a')), 'good-1'),
      sqsRecord('{"Records": [', 'bad'),
      sqsRecord(s3EventBody(object('b')), 'good-2'),
    );

    // when the handler runs
    const response = (await invoke(bed, event)) as SQSBatchResponse;

    // then only the bad message goes back to the queue, and the good objects are batched
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect((await submittedBatches(bed)).map((b) => b.manifest.items.length)).toEqual([2]);
  });

  it('acknowledges the S3 test event and objects outside the prefix, counting them in total and by reason', async () => {
    // given the S3 test event and an object outside incoming/
    const bed = await bedWith(2);
    const outside: BufferItem = { ...object('x'), key: 'elsewhere/x.png' };
    const lines: string[] = [];

    // when the handler runs
    const response = (await invoke(
      bed,
      sqsEvent(sqsRecord(s3TestEventBody()), sqsRecord(s3EventBody(outside))),
      { lines },
    )) as SQSBatchResponse;

    // then both messages are acknowledged, nothing is buffered, and the reasons are counted
    // (the total holding one value per reason)
    expect(response.batchItemFailures).toEqual([]);
    const store = new DynamoBufferStore(bed.dynamo, bed.config.bufferTable);
    expect(await store.readCurrentBatchId()).toBeUndefined();
    expect(metricLines(lines, 'ItemsRejected').map((l) => [l.Reason, l.ItemsRejected])).toEqual([
      [undefined, [1, 1]],
      ['test-event', 1],
      ['outside-prefix', 1],
    ]);
  });
});
