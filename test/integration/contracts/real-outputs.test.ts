import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { modelKeys, resultKeys } from '../../../lib/contracts/keys';
import type { BatchSummary } from '../../../lib/contracts/batch-summary';
import type { BatchManifest } from '../../../lib/contracts/manifest';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { ModelRegistry, TRAINING_DATA_FILE } from '../../../container/src/registry/model-registry';
import { runTrainCommand } from '../../../container/src/train/train-command';
import { readManifests } from '../../helpers/batcher-emulator-resources';
import { createTestbed, invoke, BATCHER_SERVICES } from '../../helpers/batcher-harness';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { contractViolations, violationsOfEach } from '../../helpers/contract-schemas';
import {
  createBucket,
  createQueue,
  notifyQueueOnCreate,
  receiveAll,
} from '../../helpers/emulator-resources';
import { sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { digitPng, digitRange, uploadDigits } from '../../helpers/train-digits';
import { captureLog, keysUnder } from '../../helpers/train-fixtures';
import { getText, readShardOutputs } from '../../helpers/worker-results';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { jobEndEvent } from '../../helpers/finisher-fixtures';
import { createHandler as createFinisher } from '../../../lambda/finisher/handler';
import { lambdaContext } from '../../../scripts/local/batcher/lambda-events';
import {
  CompletionEvent,
  subscribeToCompletions,
} from '../../../scripts/shared/completion-subscription';

jest.setTimeout(300_000);

const s3 = s3Client();
const sqs = sqsClient();
// One backend is enough: the formats do not depend on it (the worker suites cover each backend).
const [backend] = backendsUnderTest();

const parseLines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));

/** Every object under `prefix`, parsed as JSON, by key. */
async function jsonObjectsUnder(bucket: string, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await keysUnder(s3, bucket, prefix)).filter((k) => k.endsWith('.json'));
  const entries = await Promise.all(
    keys.map(async (key) => [key, JSON.parse(await getText(s3, bucket, key))] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * The whole pipeline once, each producer the real one: the retrain job fills the registry, the
 * batcher closes a batch of real uploads from their S3 notifications, and the worker scores
 * every shard. Then every object each of them wrote is checked against its JSON Schema.
 */
const SUITE = 'what the pipeline writes conforms to the schemas in lib/contracts/schemas';

describeOnEmulator([...BATCHER_SERVICES, 'sqs', 'events'], SUITE, () => {
  let modelBucket: string;
  let resultsBucket: string;
  let manifest: BatchManifest;
  let completion: CompletionEvent | undefined;
  const SHARD_SIZE = 4;

  beforeAll(async () => {
    // given a registry trained by the real retrain job: a first version (promoted), a
    // deliberately worse fine-tune (rejected), then an operator promotion and a rollback
    modelBucket = await createBucket(s3);
    await uploadDigits(s3, modelBucket, 'training/digits/', digitRange(0, 8));
    const env = onBackend({ ...process.env, MODEL_BUCKET: modelBucket }, backend);
    for (const flags of [
      ['--architecture', 'digits-cnn', '--epochs', '1'],
      ['--learning-rate', '5', '--epochs', '1'],
    ]) {
      const { lines, log } = captureLog();
      const code = await runTrainCommand(['--model', 'digits', ...flags], log, env);
      expect({ code, lines }).toMatchObject({ code: 0 });
    }
    const registry = new ModelRegistry(s3, modelBucket, 'digits');
    const [, second] = await registry.listVersions();
    await registry.promote(second.version, 'operator override');
    await registry.rollback('bad promotion');

    // and a batch closed by the real batcher from the S3 notifications of real uploads: six
    // digits and three files the worker cannot score, in shards of four
    const inputBucket = await createBucket(s3);
    const queue = await createQueue(sqs);
    await notifyQueueOnCreate(s3, inputBucket, queue, { prefix: 'incoming/' });
    const uploads: Array<[string, Uint8Array | string]> = [
      ...digitRange(20, 1)
        .slice(0, 6)
        .map(({ digit, index }) => [`incoming/${digit}-${index}.png`, digitPng(digit, index)]),
      ['incoming/truncated.png', digitPng(7, 30).subarray(0, 60)],
      ['incoming/empty.png', ''],
      ['incoming/notes.txt', 'not an image'],
    ] as Array<[string, Uint8Array | string]>;
    for (const [key, body] of uploads) {
      await s3.send(
        new PutObjectCommand({
          Bucket: inputBucket,
          Key: key,
          Body: body,
          // Known up front: without it the SDK treats a Buffer from another realm as a stream.
          ContentLength: Buffer.byteLength(body),
        }),
      );
    }
    const bed = await createTestbed({
      inputBucket,
      shardSize: SHARD_SIZE,
      thresholds: { maxFiles: uploads.length, maxBytes: 1024 ** 3, maxWaitMs: 300_000 },
    });
    resultsBucket = bed.config.resultsBucket;
    const messages: Message[] = await receiveAll(sqs, queue.url, uploads.length);
    await invoke(bed, sqsEvent(...messages.map((m) => sqsRecord(m.Body!, m.MessageId!))));
    [manifest] = await readManifests(s3, resultsBucket);

    // when the worker runs every shard of the batch
    for (let shard = 0; shard < manifest.shardCount; shard++) {
      const { lines, log } = captureLog();
      const code = await runInferCommand(
        [
          '--manifest',
          `s3://${resultsBucket}/${resultKeys.manifest(manifest.batchId)}`,
          '--max-error-fraction',
          '1',
        ],
        log,
        {
          ...onBackend(
            { ...process.env, MODEL_BUCKET: modelBucket, RESULTS_BUCKET: resultsBucket },
            backend,
          ),
          AWS_BATCH_JOB_ARRAY_INDEX: String(shard),
        },
      );
      expect({ shard, code, lines }).toMatchObject({ code: 0 });
    }

    // and the finisher given the end of the batch's array job, with a consumer subscribed
    const subscription = await subscribeToCompletions({ name: `contracts-${manifest.batchId}` });
    try {
      const finisher = createFinisher({
        env: { RESULTS_BUCKET: resultsBucket },
        sink: () => undefined,
      });
      await finisher(
        jobEndEvent(manifest.batchId, {}, resultsBucket),
        lambdaContext('finisher', 60_000, 'r1'),
      );
      const received = await subscription.collect(
        (events) => events.some((e) => e.detail.batchId === manifest.batchId),
        Date.now() + 20_000,
      );
      completion = received.find((e) => e.detail.batchId === manifest.batchId);
    } finally {
      await subscription.close();
    }
  });

  it('the manifest the batcher wrote', async () => {
    // then the manifest, read raw from S3, conforms, and lists every upload in several shards
    const raw = JSON.parse(
      await getText(s3, resultsBucket, resultKeys.manifest(manifest.batchId)),
    ) as BatchManifest;
    expect(contractViolations('manifest', raw)).toEqual([]);
    expect(raw.items).toHaveLength(9);
    expect(raw.shardCount).toBe(3);
  });

  it('every result record, error record and shard summary the worker wrote', async () => {
    // then every line of every shard's streams, and each summary, conforms
    const problems: string[] = [];
    const codes = new Set<string>();
    let results = 0;
    for (let shard = 0; shard < manifest.shardCount; shard++) {
      const outputs = await readShardOutputs(s3, resultsBucket, manifest.batchId, shard);
      const errorsText = await getText(
        s3,
        resultsBucket,
        resultKeys.errors(manifest.batchId, shard),
      );
      const named = (value: unknown) =>
        `shard ${shard} ${(value as { source: { key: string } }).source.key}`;
      problems.push(
        ...violationsOfEach('result-record', parseLines(outputs.resultsText), named),
        ...violationsOfEach('error-record', parseLines(errorsText), named),
        ...violationsOfEach('shard-summary', [outputs.summary], () => `shard ${shard}`),
      );
      results += outputs.results.length;
      outputs.errors.forEach((e) => codes.add(e.code));
    }
    expect(problems).toEqual([]);
    // and the run exercised both streams: every digit scored, every bad file an error record
    expect(results).toBe(6);
    expect([...codes].sort()).toEqual(['DECODE_FAILED', 'EMPTY_OBJECT', 'UNSUPPORTED_FORMAT']);
  });

  it('the batch summary and the completion event the finisher wrote', async () => {
    // then batch.json and the detail of the event a subscriber received conform
    const summary = JSON.parse(
      await getText(s3, resultsBucket, resultKeys.batchSummary(manifest.batchId)),
    ) as BatchSummary;
    expect(contractViolations('batch-summary', summary)).toEqual([]);
    expect(contractViolations('completion-event', completion?.detail)).toEqual([]);
    // and they count the same records as the shards
    expect(summary).toMatchObject({ status: 'SUCCEEDED', counts: { ok: 6, failed: 3 } });
    expect(completion?.detail.counts).toEqual(summary.counts);
  });

  it('every version metadata, the champion pointer and every history event the registry holds', async () => {
    // then every JSON object under the model's prefix conforms to the schema of its kind
    const root = modelKeys.root('digits');
    const objects = await jsonObjectsUnder(modelBucket, root);
    const byKind = (pattern: RegExp) =>
      Object.entries(objects).filter(([key]) => pattern.test(key.slice(root.length)));
    const metadata = byKind(/^versions\/[^/]+\/metadata\.json$/);
    const history = byKind(/^history\/[^/]+\.json$/);
    const champion = byKind(/^champion\.json$/);
    const problems = [
      ...violationsOfEach(
        'model-metadata',
        metadata.map(([, v]) => v),
        (_, i) => metadata[i][0],
      ),
      ...violationsOfEach(
        'promotion-event',
        history.map(([, v]) => v),
        (_, i) => history[i][0],
      ),
      ...violationsOfEach(
        'champion-pointer',
        champion.map(([, v]) => v),
        () => 'champion.json',
      ),
    ];
    expect(problems).toEqual([]);
    // and the runs wrote every kind: two versions, one pointer, each kind of event
    expect(metadata).toHaveLength(2);
    expect(champion).toHaveLength(1);
    expect(history.map(([, e]) => (e as { event: string }).event).sort()).toEqual([
      'promote',
      'promote',
      'reject',
      'rollback',
    ]);
  });

  it('every line of each version training-data listing', async () => {
    // then each version's listing conforms line by line and names every training object
    const registry = new ModelRegistry(s3, modelBucket, 'digits');
    const problems: string[] = [];
    for (const { version } of await registry.listVersions()) {
      const key = modelKeys.version('digits', version) + TRAINING_DATA_FILE;
      const lines = parseLines(await getText(s3, modelBucket, key));
      expect(lines).toHaveLength(80);
      problems.push(...violationsOfEach('training-data-entry', lines, (_, i) => `${key}:${i + 1}`));
    }
    expect(problems).toEqual([]);
  });
});
