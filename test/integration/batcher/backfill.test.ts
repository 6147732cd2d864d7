import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { backfillPrefix } from '../../../lambda/batcher/backfill';
import { submittedBatches } from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import {
  BATCHER_SERVICES,
  BatcherTestbed,
  createTestbed,
  invocationContext,
  invoke,
} from '../../helpers/batcher-harness';
import { createBucket } from '../../helpers/emulator-resources';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { s3EventBody, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';

jest.setTimeout(60_000);

let shared: BatchResources;

/** A bucket holding `keys`, uploaded without any notification: files from before the stack. */
async function bucketWith(bed: BatcherTestbed, keys: string[]): Promise<string> {
  const bucket = await createBucket(bed.s3);
  for (const key of keys) {
    await bed.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
  }
  return bucket;
}

const bedWith = (maxFiles: number) =>
  createTestbed({ thresholds: { maxFiles, maxBytes: 1024 ** 3, maxWaitMs: 300_000 } }, shared);

describeOnEmulator(BATCHER_SERVICES, 'batcher backfill from a prefix listing', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('submits the objects under a prefix through the same manifest and job path', async () => {
    // given five objects under incoming/ and one folder marker, from before the stack existed
    const bed = await bedWith(100);
    const keys = [
      'incoming/1.png',
      'incoming/2 two.png',
      'incoming/3.png',
      'incoming/sub/4.png',
      'incoming/5.png',
    ];
    const bucket = await bucketWith(bed, [...keys, 'incoming/sub/']);

    // when the prefix is backfilled
    const result = await backfillPrefix(
      { bucket, key: 'incoming/' },
      bed.s3,
      invocationContext(bed),
    );

    // then one batch with the five objects is submitted as one job, the marker skipped
    expect(result).toMatchObject({ listed: 6, skipped: 1, duplicates: 0 });
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.manifest.items.map((i) => i.key))).toEqual([[...keys].sort()]);
    expect(batches.map((b) => b.jobs.length)).toEqual([1]);
  });

  it('splits a listing larger than max files into several batches', async () => {
    // given five objects and batches of at most two files
    const bed = await bedWith(2);
    const bucket = await bucketWith(bed, [
      'incoming/a',
      'incoming/b',
      'incoming/c',
      'incoming/d',
      'incoming/e',
    ]);

    // when the prefix is backfilled
    await backfillPrefix({ bucket, key: 'incoming/' }, bed.s3, invocationContext(bed));

    // then three batches of 2, 2 and 1 files are submitted, one job each
    const batches = await submittedBatches(bed);
    expect(batches.map((b) => b.manifest.items.length).sort()).toEqual([1, 2, 2]);
    expect(batches.map((b) => b.jobs.length)).toEqual([1, 1, 1]);
  });

  it('submits nothing new when the same prefix is backfilled again', async () => {
    // given a prefix that was backfilled once
    const bed = await bedWith(100);
    const bucket = await bucketWith(bed, ['incoming/a', 'incoming/b']);
    await backfillPrefix({ bucket, key: 'incoming/' }, bed.s3, invocationContext(bed));

    // when it is backfilled again
    const again = await backfillPrefix(
      { bucket, key: 'incoming/' },
      bed.s3,
      invocationContext(bed),
    );

    // then both objects are recognised as batched already, and no second job exists
    expect(again.duplicates).toBe(2);
    const batches = await submittedBatches(bed);
    expect(batches.filter((b) => b.manifest.items.length > 0)).toHaveLength(1);
    expect(batches.flatMap((b) => b.jobs)).toHaveLength(1);
  });

  it('does not batch again an upload to a versioned bucket that its notification batched', async () => {
    // given a versioned bucket whose object was overwritten once, the current version batched
    // live from its notification (which names the version id)
    const other = await bedWith(100);
    const bucket = await createBucket(other.s3);
    const bed = { ...other, config: { ...other.config, inputBucket: bucket } };
    await bed.s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const key = 'incoming/a.png';
    await bed.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'old' }));
    const put = await bed.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'new' }));
    const object = {
      bucket,
      key,
      size: 3,
      etag: put.ETag!.replace(/"/g, ''),
      versionId: put.VersionId!,
    };
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(object))));

    // when the prefix is backfilled
    const result = await backfillPrefix(
      { bucket, key: 'incoming/' },
      bed.s3,
      invocationContext(bed),
    );

    // then only the current version is listed, recognised as batched already (its live batch
    // is still open), so no submitted manifest names the key
    expect(result).toMatchObject({ listed: 1, duplicates: 1 });
    const batches = await submittedBatches(bed);
    expect(batches.flatMap((b) => b.manifest.items).filter((i) => i.key === key)).toEqual([]);
  });
});
