import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { unquoteEtag } from '../../../lib/contracts/s3-location';
import { downloadObject } from '../../../container/src/infer/input/download-object';
import { uploadConcatenated } from '../../../container/src/infer/output/upload-concatenated';
import { createBucket } from '../../helpers/emulator-resources';
import { uploadInputs } from '../../helpers/worker-batch-fixture';
import { getText, listKeys } from '../../helpers/worker-results';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

const s3 = s3Client();

async function versionedBucket(): Promise<string> {
  const bucket = await createBucket(s3);
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  return bucket;
}

/** Uploads `body` under `key`; returns the manifest item of that version. */
async function uploadVersion(bucket: string, key: string, body: string): Promise<ManifestItem> {
  const { ETag, VersionId } = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
  );
  return { bucket, key, size: body.length, etag: unquoteEtag(ETag!), versionId: VersionId! };
}

async function* chunks(count: number, size: number, fill: (i: number) => string) {
  for (let i = 0; i < count; i++) yield fill(i).repeat(size);
}

describeOnEmulator(['s3'], 'worker S3 input and output', () => {
  it('writes a concatenation larger than one part as one complete multipart object', async () => {
    // given 20 chunks of 1 MiB, more than two 8 MiB parts
    const bucket = await createBucket(s3);
    const letters = 'abcdefghijklmnopqrst';

    // when they are written as one object
    await uploadConcatenated(
      s3,
      { bucket, key: 'results/big.jsonl' },
      chunks(20, 1024 * 1024, (i) => letters[i]),
      'application/x-ndjson',
    );

    // then the object is their exact concatenation, in parts, with the content type
    const text = await getText(s3, bucket, 'results/big.jsonl');
    expect(text.length).toBe(20 * 1024 * 1024);
    expect([...letters].every((letter, i) => text[i * 1024 * 1024] === letter)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'results/big.jsonl' }));
    expect(head.ContentType).toBe('application/x-ndjson');
    expect(head.ETag).toMatch(/-3"$/);
  });

  it('writes an empty concatenation as an empty object, as a shard without errors has', async () => {
    // given a source of no chunks
    const bucket = await createBucket(s3);

    // when it is written
    await uploadConcatenated(
      s3,
      { bucket, key: 'errors/none.jsonl' },
      chunks(0, 1, () => ''),
      'application/x-ndjson',
    );

    // then an empty object exists, with the content type
    expect(await getText(s3, bucket, 'errors/none.jsonl')).toBe('');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'errors/none.jsonl' }));
    expect(head.ContentType).toBe('application/x-ndjson');
  });

  it('replaces the object a failed attempt wrote, as a retried shard does', async () => {
    // given an object written by an earlier attempt
    const bucket = await createBucket(s3);
    const target = { bucket, key: 'results/retried.jsonl' };
    await uploadConcatenated(
      s3,
      target,
      chunks(1, 10, () => 'a'),
      'application/x-ndjson',
    );

    // when the retry writes it again
    await uploadConcatenated(
      s3,
      target,
      chunks(2, 3, () => 'b'),
      'application/x-ndjson',
    );

    // then the object holds the retry's output only
    expect(await getText(s3, bucket, 'results/retried.jsonl')).toBe('bbbbbb');
  });

  it('leaves no object and no open multipart upload behind when the chunk source fails midway', async () => {
    // given a source that fails after 10 MiB, once a multipart upload has started
    const bucket = await createBucket(s3);
    async function* failing() {
      yield* chunks(10, 1024 * 1024, () => 'x');
      throw new Error('part 2 unreadable');
    }

    // when written
    const write = uploadConcatenated(s3, { bucket, key: 'results/broken.jsonl' }, failing(), 'x');

    // then the error surfaces, no object is visible and the upload was aborted
    await expect(write).rejects.toThrow('part 2 unreadable');
    expect(await listKeys(s3, bucket, 'results/')).toEqual([]);
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  it('fails the download of an object overwritten since the manifest, naming the etag', async () => {
    // given a manifest item, then a new upload under the same key
    const bucket = await createBucket(s3);
    const [item] = await uploadInputs(s3, bucket, [{ key: 'in/a.png', body: 'first' }]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/a.png', Body: 'second' }));

    // when the manifest's version is downloaded
    const download = await downloadObject(s3, item, 1024);

    // then it fails rather than scoring the wrong input
    expect(download.failure).toEqual({
      code: 'DOWNLOAD_FAILED',
      reason: `s3://${bucket}/in/a.png changed since the manifest was written (etag ${item.etag} no longer matches)`,
    });
  });

  it('reads the version the manifest names after its key was overwritten in a versioned bucket', async () => {
    // given a versioned bucket, a manifest item of the first upload, then a second upload
    const bucket = await versionedBucket();
    const item = await uploadVersion(bucket, 'in/v.png', 'first');
    await uploadVersion(bucket, 'in/v.png', 'second, longer');

    // when the manifest's version is downloaded
    const download = await downloadObject(s3, item, 1024);

    // then its bytes are the first upload's
    expect(Buffer.from(download.bytes!).toString()).toBe('first');
  });

  it("fails a version that does not have the manifest's etag, naming both", async () => {
    // given an item naming the first version of a key with the second version's etag
    const bucket = await versionedBucket();
    const first = await uploadVersion(bucket, 'in/w.png', 'first');
    const second = await uploadVersion(bucket, 'in/w.png', 'second');
    const item = { ...first, etag: second.etag };

    // when it is downloaded
    const download = await downloadObject(s3, item, 1024);

    // then it fails rather than scoring a version the notification did not name
    expect(download.failure).toEqual({
      code: 'DOWNLOAD_FAILED',
      reason: `s3://${bucket}/in/w.png version ${first.versionId} is not the object the manifest names (etag ${second.etag} does not match)`,
    });
  });

  it('fails the download of a missing object with the S3 error', async () => {
    // given an item whose object was deleted
    const bucket = await createBucket(s3);
    const item = { bucket, key: 'in/gone.png', size: 10, etag: 'abc' };

    // when downloaded
    const download = await downloadObject(s3, item, 1024);

    // then the reason names the object and the S3 error
    expect(download.failure?.code).toBe('DOWNLOAD_FAILED');
    expect(download.failure?.reason).toMatch(
      new RegExp(`^s3://${bucket}/in/gone.png: (NoSuchKey|AccessDenied)`),
    );
  });

  it('refuses an object above the size limit without downloading it', async () => {
    // given an item the manifest says is 2 KiB, but whose object does not even exist
    const bucket = await createBucket(s3);
    const item = { bucket, key: 'in/huge.png', size: 2048, etag: 'abc' };

    // when downloaded with a 1 KiB limit
    const download = await downloadObject(s3, item, 1024);

    // then it is too large, decided from the manifest alone
    expect(download.failure).toEqual({
      code: 'TOO_LARGE',
      reason: 'object is 2048 bytes, above the limit of 1024',
    });
  });
});
