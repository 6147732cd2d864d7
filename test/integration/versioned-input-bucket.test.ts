import {
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { s3Client, sqsClient } from '../../lib/contracts/aws-clients';
import type { BatchSummary } from '../../lib/contracts/batch-summary';
import { resultKeys } from '../../lib/contracts/keys';
import type { BatchManifest, ManifestItem } from '../../lib/contracts/manifest';
import type { ErrorRecord, ResultRecord } from '../../lib/contracts/records';
import { keyExists } from '../../lib/contracts/s3-key-presence';
import { unquoteEtag } from '../../lib/contracts/s3-location';
import { awaitBatches } from '../../scripts/demo/await-batches';
import { LocalRuntime, startLocalRuntime } from '../../scripts/local/local-runtime';
import { deployTestStack, DeployedTestStack } from '../helpers/demo-stack';
import { describeOnEmulator } from '../helpers/describe-on-emulator';
import { createBucket } from '../helpers/emulator-resources';
import { s3EventBody } from '../helpers/s3-event-factory';
import { runGbi } from '../helpers/run-gbi';
import { STACK_SERVICES } from '../helpers/stack-services';
import { digitPng } from '../helpers/train-digits';
import { publishDigitsChampion } from '../helpers/worker-model-fixture';
import { getText, listKeys } from '../helpers/worker-results';

// Deploy, one array job run by local processes, the finisher: minutes on a busy machine.
jest.setTimeout(600_000);

/** Ten digits beside the key that is overwritten, so its one failing version stays in budget. */
const OTHER_FILES = 10;

let s3: S3Client;
let deployed: DeployedTestStack;
let runtime: LocalRuntime | undefined;
let manifest: BatchManifest;
let overwritten: string;
/** The two versions of `overwritten`, in upload order: a digit, then bytes that are no image. */
let versions: ManifestItem[];
let results: ResultRecord[];
let errors: ErrorRecord[];

async function upload(key: string, body: Uint8Array | string): Promise<ManifestItem> {
  const bytes = Buffer.from(body);
  const { ETag, VersionId } = await s3.send(
    new PutObjectCommand({
      Bucket: deployed.stack.inputBucket,
      Key: key,
      Body: bytes,
      ContentLength: bytes.length,
    }),
  );
  return {
    bucket: deployed.stack.inputBucket,
    key,
    size: bytes.length,
    etag: unquoteEtag(ETag!),
    versionId: VersionId!,
  };
}

/**
 * What S3 sends the ingest queue for an upload to a versioned bucket: the object's key, size,
 * ETag and version id (Amazon S3 User Guide, "Event message structure"). The emulator's own
 * notifications leave the version id out (moto builds the object from key, size and eTag
 * only), so they are switched off on this bucket and these are sent in their place.
 */
async function notify(item: ManifestItem): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: deployed.stack.ingestQueueUrl,
      MessageBody: s3EventBody(item),
    }),
  );
}

async function jsonLinesUnder<T>(prefix: string): Promise<T[]> {
  const keys = await listKeys(s3, deployed.stack.resultsBucket, prefix);
  const texts = await Promise.all(
    keys.map((key) => getText(s3, deployed.stack.resultsBucket, key)),
  );
  return texts.flatMap((text) =>
    text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as T),
  );
}

describeOnEmulator(STACK_SERVICES, 'a versioned input bucket end to end', () => {
  beforeAll(async () => {
    // Given the stack on an existing bucket with versioning on, and a champion to score with
    s3 = s3Client();
    const bucket = await createBucket(s3);
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    deployed = await deployTestStack({
      existingInputBucketName: bucket,
      maxBatchFiles: OTHER_FILES + 2,
      maxBatchWaitSeconds: 60,
      shardSize: OTHER_FILES + 2,
    });
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {},
      }),
    );
    await publishDigitsChampion(s3, deployed.stack.modelBucket, deployed.stack.modelName);
    runtime = await startLocalRuntime({
      stack: deployed.stack,
      endpoint: process.env.AWS_ENDPOINT_URL!,
      stateDirectory: deployed.directory,
      sweepIntervalMs: 2_000,
    });

    // When a key is uploaded, overwritten, and both uploads are notified (the first twice, as
    // S3 may), beside ten other digits
    const prefix = `${deployed.stack.inputPrefix}versioned-${Date.now().toString(36)}/`;
    overwritten = `${prefix}overwritten.png`;
    const first = await upload(overwritten, digitPng(3, 0));
    const second = await upload(overwritten, 'not an image any more');
    versions = [first, second];
    const others = await Promise.all(
      Array.from({ length: OTHER_FILES }, (_, i) => upload(`${prefix}${i}.png`, digitPng(i, 1))),
    );
    for (const item of [first, second, first, ...others]) await notify(item);

    const [closed] = await awaitBatches({
      s3,
      resultsBucket: deployed.stack.resultsBucket,
      executor: runtime.executor,
      keys: [overwritten, ...others.map((item) => item.key)],
      deadline: Date.now() + 300_000,
    });
    manifest = closed.manifest;
    expect(closed.job.status).toBe('SUCCEEDED');
    const deadline = Date.now() + 60_000;
    const batchJson = resultKeys.batchSummary(manifest.batchId);
    while (!(await keyExists(s3, deployed.stack.resultsBucket, batchJson))) {
      if (Date.now() > deadline) throw new Error(`no ${batchJson} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    results = await jsonLinesUnder<ResultRecord>(`results/${manifest.batchId}/`);
    errors = await jsonLinesUnder<ErrorRecord>(`errors/${manifest.batchId}/`);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  test('the manifest names each version of the overwritten key once, by its version id', () => {
    // Then both versions are items of the one batch, each once, with the id S3 gave it
    const items = manifest.items.filter((item) => item.key === overwritten);
    expect(items).toHaveLength(2);
    expect(new Set(items.map((item) => item.versionId))).toEqual(
      new Set(versions.map((version) => version.versionId)),
    );
    expect(manifest.items).toHaveLength(OTHER_FILES + 2);
  });

  test('each version is scored once, from its own bytes', () => {
    // Then the first version (a digit) has one result, the second (no image) one error
    const [first, second] = versions;
    const recordsOf = (records: readonly (ResultRecord | ErrorRecord)[], version: ManifestItem) =>
      records.filter(
        (r) => r.source.key === overwritten && r.source.versionId === version.versionId,
      );
    expect(recordsOf(results, first)).toHaveLength(1);
    expect(recordsOf(errors, first)).toHaveLength(0);
    expect(recordsOf(results, second)).toHaveLength(0);
    expect(recordsOf(errors, second)).toHaveLength(1);
    expect(recordsOf(results, first)[0].source.etag).toBe(first.etag);
    expect(recordsOf(errors, second)[0].source.etag).toBe(second.etag);
    expect(results).toHaveLength(OTHER_FILES + 1);
  });

  test('the finisher counts every version as a file', async () => {
    // Then batch.json counts twelve files: eleven scored, the second version failed
    const summary = JSON.parse(
      await getText(s3, deployed.stack.resultsBucket, resultKeys.batchSummary(manifest.batchId)),
    ) as BatchSummary;
    expect(summary.counts).toMatchObject({
      files: OTHER_FILES + 2,
      ok: OTHER_FILES + 1,
      failed: 1,
    });
  });

  test('gbi find names each version with its own outcome', async () => {
    // When the overwritten key is looked up
    const run = await runGbi(deployed.stack.stackName, 'find', overwritten);
    // Then each version is listed by its id, the first with its prediction, the second with
    // its error, both in the batch
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    const [first, second] = versions.map((version) =>
      lines.findIndex((line) => line.includes(`version ${version.versionId} (`)),
    );
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThanOrEqual(0);
    expect(lines[second]).toContain('latest');
    expect(lines[first + 1]).toMatch(
      new RegExp(`batch ${manifest.batchId} shard 0 offset 0: predicted \\d \\(`),
    );
    expect(lines[second + 1]).toMatch(
      new RegExp(`batch ${manifest.batchId} shard 0 offset 0: error [A-Z_]+: `),
    );
  });
});
