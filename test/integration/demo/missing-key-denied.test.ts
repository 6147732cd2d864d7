import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { DemoReport } from '../../../scripts/demo/demo-report';
import { runDemo } from '../../../scripts/demo/run-demo';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { STACK_SERVICES } from '../../helpers/stack-services';

// The whole pipeline where S3 answers every read of a missing key with 403 AccessDenied, as it
// does for a caller without s3:ListBucket: nothing may rely on a 404.
jest.setTimeout(900_000);

let report: DemoReport;

describeOnEmulator(
  STACK_SERVICES,
  'the demo where a missing key answers 403 AccessDenied',
  () => {
    beforeAll(async () => {
      // Given S3 denies the read of a key that does not exist
      const s3 = s3Client();
      const bucket = `probe-${Date.now().toString(36)}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await expect(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'never/written.json' })),
      ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      // When the demo runs at the integration test's size (fewer training images: accuracy is
      // not the question here): the first retrain, uploads, the batcher, the array job and the
      // finisher
      report = await runDemo({
        size: { images: 60, trainPerDigit: 20, epochs: 1, shardSize: 25, minAccuracy: 0 },
        workDirectory: mkdtempSync(join(tmpdir(), 'gbi-demo-denied-')),
        progress: () => undefined,
      });
    });

    test('the run reports no problem', () => {
      // Then every expectation of the demo held
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    });

    test('the first retrain created the first champion', () => {
      // Then the train job, with no champion.json and no training-config.json, registered one
      expect(report.facts.training.status).toBe('SUCCEEDED');
      expect(report.facts.training.version).toMatch(/^v\d{8}T/);
    });

    test('the batcher submitted a batch and the worker scored its shards', () => {
      // Then 65 files (60 digits, 5 corrupt) went through one batch of three shards
      expect(report.files).toBe(65);
      expect(report.scored).toBe(60);
      expect(report.shards).toBe(3);
      expect(report.facts.batches.map((batch) => batch.jobStatus)).toEqual(['SUCCEEDED']);
    });

    test('the finisher wrote batch.json', () => {
      // Then the batch summary exists and counts every file
      const [batch] = report.facts.batches;
      expect(batch.batchSummary?.counts).toMatchObject({ files: 65, ok: 60, failed: 5 });
    });
  },
  { missingKeys: 'access-denied' },
);
