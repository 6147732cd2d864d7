import { randomUUID } from 'node:crypto';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { resultKeys } from '../../../lib/contracts/keys';
import { unquoteEtag } from '../../../lib/contracts/s3-location';
import { BatchManifest, recordId, shardItems } from '../../../lib/contracts/manifest';
import {
  ErrorRecord,
  RECORDS_SCHEMA_VERSION,
  ResultRecord,
  ShardSummary,
} from '../../../lib/contracts/records';
import { createHandler } from '../../../lambda/batcher/handler';
import { readManifest } from '../../../scripts/cli/batch-results';
import { lambdaContext } from '../../../scripts/local/batcher/lambda-events';
import { violationsOfEach } from '../../helpers/contract-schemas';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { s3EventBody, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { GbiRun, runGbi } from '../../helpers/run-gbi';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

let deployed: DeployedTestStack;
let prefix: string;

function gbi(...argv: string[]): Promise<GbiRun> {
  return runGbi(deployed.stack.stackName, ...argv);
}

async function upload(
  key: string,
  body: string,
  bucket = deployed.stack.inputBucket,
): Promise<{ etag: string; versionId?: string }> {
  const { ETag, VersionId } = await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
  );
  return { etag: unquoteEtag(ETag!), ...(VersionId ? { versionId: VersionId } : {}) };
}

/** Backfills the objects under `under` with gbi submit; returns the batch it submitted. */
async function submit(under: string): Promise<BatchManifest> {
  const run = await gbi('submit', '--prefix', `s3://${deployed.stack.inputBucket}/${under}`);
  const batchId = /batch (\S+): submitted/.exec(run.out)?.[1];
  if (!batchId) throw new Error(`gbi submit submitted no batch: ${run.out}\n${run.err}`);
  return readManifest(s3Client(), deployed.stack.resultsBucket, batchId);
}

/**
 * Writes what the worker writes for shard 0 of a batch (results, errors, then the summary),
 * each record checked against its JSON Schema: the label comes from `labelOf(key)`, and keys
 * named in `failing` become DECODE_FAILED error records.
 */
async function writeShardOutput(
  manifest: BatchManifest,
  labelOf: (key: string) => string,
  failing: readonly string[] = [],
): Promise<void> {
  const items = shardItems(manifest, 0);
  const model = { name: 'digits', version: 'v-find-test' };
  const base = (item: (typeof items)[number]) => ({
    schemaVersion: RECORDS_SCHEMA_VERSION as typeof RECORDS_SCHEMA_VERSION,
    recordId: recordId(item, 0),
    batchId: manifest.batchId,
    shard: 0,
    source: {
      bucket: item.bucket,
      key: item.key,
      etag: item.etag,
      ...(item.versionId ? { versionId: item.versionId } : {}),
      offset: 0,
    },
  });
  const results: ResultRecord[] = items
    .filter((item) => !failing.includes(item.key))
    .map((item) => ({
      ...base(item),
      model,
      predictions: [{ label: labelOf(item.key), score: 0.97 }],
    }));
  const errors: ErrorRecord[] = items
    .filter((item) => failing.includes(item.key))
    .map((item) => ({ ...base(item), code: 'DECODE_FAILED', reason: 'not a PNG: bad signature' }));
  const at = new Date().toISOString();
  const summary: ShardSummary = {
    schemaVersion: RECORDS_SCHEMA_VERSION,
    batchId: manifest.batchId,
    shard: 0,
    model,
    backend: 'cpu',
    counts: { ok: results.length, failed: errors.length, skipped: 0 },
    errorsByCode: errors.length > 0 ? { DECODE_FAILED: errors.length } : {},
    timings: {
      startedAt: at,
      finishedAt: at,
      totalMs: 1,
      downloadMs: 0,
      decodeMs: 0,
      inferenceMs: 0,
      writeMs: 0,
    },
  };
  expect([
    ...violationsOfEach('result-record', results),
    ...violationsOfEach('error-record', errors),
    ...violationsOfEach('shard-summary', [summary]),
  ]).toEqual([]);
  const put = (key: string, body: string) =>
    s3Client().send(
      new PutObjectCommand({
        Bucket: deployed.stack.resultsBucket,
        Key: key,
        Body: Buffer.from(body),
      }),
    );
  const lines = (records: readonly unknown[]) =>
    records.map((r) => JSON.stringify(r) + '\n').join('');
  await put(resultKeys.results(manifest.batchId, 0), lines(results));
  await put(resultKeys.errors(manifest.batchId, 0), lines(errors));
  await put(resultKeys.summary(manifest.batchId, 0), JSON.stringify(summary));
}

/** Delivers an upload notification to the deployed batcher's own code, as Lambda would. */
async function notifyBatcher(
  key: string,
  version: { etag: string; versionId?: string },
  size: number,
  on = deployed,
): Promise<void> {
  const { Environment } = await new LambdaClient({}).send(
    new GetFunctionConfigurationCommand({ FunctionName: on.stack.batcherFunction }),
  );
  const handler = createHandler({ env: Environment?.Variables ?? {}, sink: () => undefined });
  const requestId = randomUUID();
  const response = await handler(
    sqsEvent(sqsRecord(s3EventBody({ bucket: on.stack.inputBucket, key, ...version, size }))),
    lambdaContext(on.stack.batcherFunction, 120_000, requestId),
  );
  expect(response).toEqual({ batchItemFailures: [] });
}

describeOnEmulator(STACK_SERVICES, 'gbi find on the deployed stack', () => {
  beforeAll(async () => {
    deployed = await deployTestStack();
    prefix = `${deployed.stack.inputPrefix}find-${Date.now()}/`;
  });

  test('a scored object shows its batch, shard and prediction', async () => {
    // Given an object batched by a backfill and scored by its shard
    const key = `${prefix}scored/7/img-1.png`;
    await upload(key, 'seven');
    const manifest = await submit(`${prefix}scored/`);
    await writeShardOutput(manifest, () => '7');
    // When it is looked up by key
    const run = await gbi('find', key);
    // Then its batch, shard, label and model version are printed
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      `batch ${manifest.batchId} shard 0 offset 0: predicted 7 (0.970) by digits v-find-test`,
    );
  });

  test('an object that failed shows its error code and reason', async () => {
    // Given a batch in which one object could not be decoded
    const good = `${prefix}mixed/1/good.png`;
    const bad = `${prefix}mixed/1/bad.png`;
    await upload(good, 'fine');
    await upload(bad, 'garbage');
    const manifest = await submit(`${prefix}mixed/`);
    await writeShardOutput(manifest, () => '1', [bad]);
    // When the failed one is looked up by its s3:// URL
    const run = await gbi('find', `s3://${deployed.stack.inputBucket}/${bad}`);
    // Then its error is printed, and no prediction
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      `batch ${manifest.batchId} shard 0 offset 0: error DECODE_FAILED: not a PNG: bad signature`,
    );
    expect(run.out).not.toContain('predicted');
  });

  test('an object whose batch is still open is waiting in the buffer', async () => {
    // Given an upload whose notification reached the batcher, in a batch far from its thresholds
    const key = `${prefix}waiting/3/img.png`;
    const version = await upload(key, 'three');
    await notifyBatcher(key, version, 'three'.length);
    // When it is looked up
    const run = await gbi('find', key);
    // Then it is waiting in an open batch
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/waiting in the buffer \(batch \S+ open since \d{4}-\d\d-\d\dT/);
  });

  test('two versions of one key in different batches are each shown with their own prediction', async () => {
    // Given a key scored as 4, then overwritten (the bucket is unversioned) and scored as 9
    const key = `${prefix}twice/img.png`;
    const { etag: firstEtag } = await upload(key, 'first upload');
    const first = await submit(`${prefix}twice/`);
    await writeShardOutput(first, () => '4');
    const { etag: secondEtag } = await upload(key, 'second upload, other bytes');
    const second = await submit(`${prefix}twice/`);
    await writeShardOutput(second, () => '9');
    // When the key is looked up
    const run = await gbi('find', key);
    // Then the listed version shows the second batch, and the overwritten one, which only the
    // buffer remembers, the first
    expect(run.code).toBe(0);
    expect(first.batchId).not.toBe(second.batchId);
    const lines = run.out.split('\n');
    const current = lines.findIndex((line) => line.includes(`etag ${secondEtag}`));
    const overwritten = lines.findIndex((line) =>
      line.includes(`version ${firstEtag} (no longer in the bucket)`),
    );
    expect(current).toBeGreaterThan(0);
    expect(overwritten).toBeGreaterThan(0);
    expect(lines[current + 1]).toContain(`batch ${second.batchId} shard 0 offset 0: predicted 9`);
    expect(lines[overwritten + 1]).toContain(
      `batch ${first.batchId} shard 0 offset 0: predicted 4`,
    );
  });

  test('an object no notification brought in is not seen by the pipeline', async () => {
    // Given an object in the input bucket that nothing batched
    const key = `${prefix}unseen/img.png`;
    await upload(key, 'nobody told the batcher');
    // When it is looked up
    const run = await gbi('find', key);
    // Then it says so
    expect(run.code).toBe(0);
    expect(run.out).toContain('not seen by the pipeline');
  });

  test('an unknown key exits 1 naming it', async () => {
    // When a key that was never uploaded is looked up
    const run = await gbi('find', `${prefix}never/uploaded.png`);
    // Then the error names the key and where it looked
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${prefix}never/uploaded.png: no such key in the input bucket`);
  });

  test("a URL of another bucket exits 2 naming it and the stack's input bucket", async () => {
    // When the URL names a bucket that is not the pipeline's
    const run = await gbi('find', 's3://somebody-elses-bucket/incoming/a.png');
    // Then the error names both buckets
    expect(run.code).toBe(2);
    expect(run.err).toContain("bucket 'somebody-elses-bucket' is not the stack's input bucket");
    expect(run.err).toContain(deployed.stack.inputBucket);
  });

  describe('with a versioned input bucket', () => {
    let versioned: DeployedTestStack;
    beforeAll(async () => {
      const bucket = await createBucket(s3Client());
      await s3Client().send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      versioned = await deployTestStack({ existingInputBucketName: bucket });
    });

    test('each version of a key is shown under its version id', async () => {
      // Given two uploads of one key, each notified to the batcher with its version id
      const key = `${versioned.stack.inputPrefix}versions/img.png`;
      const first = await upload(key, 'one', versioned.stack.inputBucket);
      const second = await upload(key, 'two!', versioned.stack.inputBucket);
      await notifyBatcher(key, first, 3, versioned);
      await notifyBatcher(key, second, 4, versioned);
      // When the key is looked up
      const run = await runGbi(versioned.stack.stackName, 'find', key);
      // Then each version is listed by its id, both waiting in the buffer
      expect(run.code).toBe(0);
      expect(first.versionId).toBeDefined();
      const lines = run.out.split('\n');
      for (const version of [first, second]) {
        const at = lines.findIndex((line) => line.includes(`version ${version.versionId} (`));
        expect(at).toBeGreaterThan(0);
        expect(lines[at + 1]).toContain('waiting in the buffer');
      }
    });
  });
});
