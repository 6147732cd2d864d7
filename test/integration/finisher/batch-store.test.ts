import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { resultKeys } from '../../../lib/contracts/keys';
import { BatchStore } from '../../../lambda/finisher/batch-store';
import { buildBatchSummary } from '../../../lambda/finisher/build-summary';
import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import { describeOnEmulator, MISSING_KEY_ANSWERS } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { jobEndEvent, manifestOf, shardSummaryOf } from '../../helpers/finisher-fixtures';

jest.setTimeout(60_000);

let s3: S3Client;
let bucket: string;
let store: BatchStore;

const batchIdOf = (name: string) => `20261207T100000Z-${name.padEnd(10, '0')}`;

async function putJson(key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value) }));
}

/** The summary of a batch of 6 files in shards of 3 whose job `status` ended. */
async function summaryOf(batchId: string, status: 'SUCCEEDED' | 'FAILED') {
  const manifest = manifestOf(batchId, 6, 3);
  await putJson(resultKeys.manifest(batchId), manifest);
  await putJson(resultKeys.summary(batchId, 0), shardSummaryOf(batchId, 0, { ok: 3 }));
  return buildBatchSummary({
    job: parseJobStateChange(jobEndEvent(batchId, { status }, bucket)),
    manifest: await store.manifest(batchId),
    resultsBucket: bucket,
    shardSummaries: await store.shardSummaries(manifest),
  });
}

// Once as moto answers a missing key (404), once as S3 may answer it (403 AccessDenied).
for (const missingKeys of MISSING_KEY_ANSWERS) {
  describeOnEmulator(
    ['s3'],
    `the finisher's results bucket, a missing key answering ${missingKeys}`,
    () => {
      beforeAll(async () => {
        s3 = s3Client();
        bucket = await createBucket(s3);
        store = new BatchStore(s3, bucket);
      });

      test('a second create of batch.json loses and reads back the first', async () => {
        // Given a batch summary written once
        const batchId = batchIdOf('twice');
        const first = await summaryOf(batchId, 'FAILED');
        expect(await store.createSummaryOnce(first)).toEqual({ summary: first, created: true });
        // When a later delivery, counting differently, creates it again
        const second = { ...first, status: 'SUCCEEDED' as const };
        const outcome = await store.createSummaryOnce(second);
        // Then the first is what it gets back, unchanged
        expect(outcome).toEqual({ summary: first, created: false });
      });

      test('the shard summaries present are read, the missing ones are not asked for', async () => {
        // Given a batch of two shards of which only shard 0 wrote its summary
        const batchId = batchIdOf('partial');
        await summaryOf(batchId, 'FAILED');
        // When the summaries are gathered
        const found = await store.shardSummaries(manifestOf(batchId, 6, 3));
        // Then shard 0's is there and shard 1 is simply absent
        expect([...found.keys()]).toEqual([0]);
      });

      test('a missing manifest is a ManifestMissingError naming its key', async () => {
        // Given a batch id without a manifest
        const batchId = batchIdOf('nomanifest');
        const key = resultKeys.manifest(batchId);
        // When its manifest is read
        const reading = store.manifest(batchId);
        // Then the error names the manifest's URL and why it matters
        await expect(reading).rejects.toMatchObject({ name: 'ManifestMissingError' });
        await expect(reading).rejects.toThrow(
          new RegExp(
            `^s3://${bucket}/${key}: not readable \\((NoSuchKey|AccessDenied): .*\\); the job names a batch whose manifest is not in the results bucket$`,
          ),
        );
      });
    },
    { missingKeys },
  );
}
