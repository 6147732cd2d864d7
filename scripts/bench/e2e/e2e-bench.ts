import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchClient } from '@aws-sdk/client-batch';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Duration } from 'aws-cdk-lib';
import { DEFAULT_CONFIG } from '../../../lib/config/pipeline-config';
import { ingestVisibilityTimeout } from '../../../lib/constructs/ingest-queue';
import { dynamoClient, s3Client, sqsClient } from '../../../lib/contracts/aws-clients';
import { BATCHER_ENV } from '../../../lib/contracts/batcher-env';
import { inferJobName, WORKER_ENV } from '../../../lib/contracts/job-contract';
import { isShardSummaryKey, RESULTS_PREFIXES, resultKeys } from '../../../lib/contracts/keys';
import { validateManifest } from '../../../lib/contracts/manifest';
import type { ErrorRecord, ResultRecord, ShardSummary } from '../../../lib/contracts/records';
import { loadConfig } from '../../../lambda/batcher/config';
import {
  createBatchResources,
  createBufferTable,
  jobsNamed,
} from '../../../test/helpers/batcher-emulator-resources';
import {
  createBucket,
  createQueue,
  notifyQueueOnCreate,
} from '../../../test/helpers/emulator-resources';
import { digitCount, digitPng } from '../../../test/helpers/train-digits';
import { jsonLines, listKeys, readText } from '../../shared/s3-reads';
import { LocalBatchExecutor } from '../../local/executor/local-batch-executor';
import { emulatorEnvironment } from '../../local/moto-server';
import { mapLimit } from '../../../lambda/shared/map-limit';
import { BENCH_MODEL_NAME, registerDigitsChampion } from '../shared/bench-model';
import { BatcherPump } from './batcher-pump';
import {
  accountFiles,
  BatchTrace,
  FileAccounting,
  runTimeline,
  RunTimeline,
} from './e2e-accounting';

export interface EndToEndResult {
  readonly files: number;
  /** Every CORRUPT_EVERY-th upload is a truncated PNG, to exercise the error stream. */
  readonly corruptFiles: number;
  readonly thresholds: {
    readonly maxFiles: number;
    readonly shardSize: number;
    readonly maxWaitSeconds: number;
  };
  readonly parallelism: number;
  /** Uploads waited while the ingest queue held this many notifications. */
  readonly maxQueuedNotifications: number;
  readonly accounting: FileAccounting;
  readonly timeline: RunTimeline;
  readonly batcherInvocations: number;
  /** Failed polls of the pump or the executor, retried; listed so none goes unseen. */
  readonly backgroundErrors: readonly string[];
}

export class EndToEndError extends Error {
  override readonly name = 'EndToEndError';
}

const CORRUPT_EVERY = 20;
/**
 * Uploads wait while more notifications than this are queued: moto's SQS gets slower per
 * request as its queue deepens (2.7 s per receive+delete of 10 messages at 4,000 deep, against
 * 0.6 s at 1,000; docs/benchmarks.md), so an unpaced 10,000-file burst measures moto, not the
 * pipeline. Real SQS has no such limit; the paced run is a steady arrival rate instead.
 */
const MAX_QUEUED_NOTIFICATIONS = 500;
const UPLOAD_CONCURRENCY = 16;
const PARALLELISM = 2;
const SWEEP_EVERY_MS = 5_000;
const MAX_WAIT_SECONDS = 60;
const INPUT_PREFIX = 'incoming/';

/** Resolves once the queue holds fewer than `max` visible messages; polls at most once a second. */
function queueDepthGate(sqs: SQSClient, queueUrl: string, max: number): () => Promise<void> {
  let depth = 0;
  let checked: Promise<void> | undefined;
  let checkedAt = 0;
  const refresh = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    depth = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    checkedAt = Date.now();
  };
  return async () => {
    for (;;) {
      if (Date.now() - checkedAt >= 1_000) {
        // One poll shared by all the uploaders waiting on it.
        checked ??= refresh().finally(() => (checked = undefined));
        await checked;
      }
      if (depth < max) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
}

function filePng(i: number): Buffer {
  const digit = i % 10;
  const png = digitPng(digit, Math.floor(i / 10) % digitCount(digit));
  return i % CORRUPT_EVERY === CORRUPT_EVERY - 1 ? png.subarray(0, 40) : png;
}

interface ShardOutput {
  readonly summary: ShardSummary;
  readonly results: ResultRecord[];
  readonly errors: ErrorRecord[];
}

/**
 * Uploads `files` PNG digits to an input bucket wired like the stack (S3 -> SQS), runs the
 * batcher from SQS and its schedule, runs the submitted array jobs with the local executor
 * (the worker as processes on wasm), waits until every file has a result or an error, and
 * returns the timings and the accounting. Needs AWS_ENDPOINT_URL (the emulator).
 */
export async function runEndToEnd(
  files: number,
  log: (line: string) => void,
): Promise<EndToEndResult> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint)
    throw new EndToEndError('AWS_ENDPOINT_URL: not set; the end-to-end run needs the emulator');
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const s3 = s3Client();
  const sqs = sqsClient();
  const batch = new BatchClient({ maxAttempts: 1 });
  const maxFiles = Math.min(files, 5_000);
  const shardSize = Math.max(1, Math.ceil(maxFiles / PARALLELISM));

  const [inputBucket, resultsBucket, modelBucket, queue, bufferTable, resources] =
    await Promise.all([
      createBucket(s3),
      createBucket(s3),
      createBucket(s3),
      createQueue(sqs),
      createBufferTable(dynamoClient()),
      createBatchResources(batch),
    ]);
  await notifyQueueOnCreate(s3, inputBucket, queue, { prefix: INPUT_PREFIX });
  // The stack's visibility timeout: a slow invocation's messages must not reappear meanwhile.
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queue.url,
      Attributes: {
        VisibilityTimeout: String(
          ingestVisibilityTimeout(
            Duration.seconds(DEFAULT_CONFIG.batcherTimeoutSeconds),
            Duration.seconds(DEFAULT_CONFIG.batcherBatchingWindowSeconds),
          ).toSeconds(),
        ),
      },
    }),
  );
  (await registerDigitsChampion(s3, modelBucket)).dispose();
  const config = loadConfig({
    [BATCHER_ENV.bufferTable]: bufferTable,
    [BATCHER_ENV.resultsBucket]: resultsBucket,
    [BATCHER_ENV.jobQueue]: resources.jobQueueArn,
    [BATCHER_ENV.inferJobDefinition]: resources.jobDefinitionArn,
    [BATCHER_ENV.modelName]: BENCH_MODEL_NAME,
    [BATCHER_ENV.inputBucket]: inputBucket,
    [BATCHER_ENV.inputPrefix]: INPUT_PREFIX,
    [BATCHER_ENV.maxBatchFiles]: String(maxFiles),
    [BATCHER_ENV.maxBatchWaitSeconds]: String(MAX_WAIT_SECONDS),
    [BATCHER_ENV.shardSize]: String(shardSize),
  });

  const work = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const errors: string[] = [];
  const onError = (error: Error) => {
    errors.push(`${error.name}: ${error.message}`);
    log(`e2e: ${error.name}: ${error.message}`);
  };
  const executor = new LocalBatchExecutor({
    batch,
    jobQueue: resources.jobQueueArn,
    stateFile: join(work, 'executor-state.json'),
    logDirectory: join(work, 'logs'),
    parallelism: PARALLELISM,
    environment: {
      ...emulatorEnvironment(endpoint),
      [WORKER_ENV.resultsBucket]: resultsBucket,
      [WORKER_ENV.modelBucket]: modelBucket,
      [WORKER_ENV.backend]: 'wasm',
    },
  });
  const pump = new BatcherPump({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    config,
    batchSize: DEFAULT_CONFIG.batcherBatchSize,
    batchingWindowMs: DEFAULT_CONFIG.batcherBatchingWindowSeconds * 1000,
    sweepEveryMs: SWEEP_EVERY_MS,
    region,
    onError,
  });
  let succeeded = false;
  try {
    executor.start(500, onError);
    pump.start();
    const keys = Array.from(
      { length: files },
      (_, i) => `${INPUT_PREFIX}e2e/${String(i).padStart(6, '0')}.png`,
    );
    const uploadedAt = new Map<string, number>();
    const roomInQueue = queueDepthGate(sqs, queue.url, MAX_QUEUED_NOTIFICATIONS);
    const uploadStart = Date.now();
    await mapLimit(
      keys.map((key, i) => ({ key, i })),
      UPLOAD_CONCURRENCY,
      async ({ key, i }) => {
        await roomInQueue();
        await s3.send(new PutObjectCommand({ Bucket: inputBucket, Key: key, Body: filePng(i) }));
        uploadedAt.set(key, Date.now());
      },
    );
    const uploadEnd = Date.now();
    log(`e2e ${files}: uploaded in ${((uploadEnd - uploadStart) / 1000).toFixed(1)} s`);

    const shards = new Map<string, ShardOutput>();
    // Generous: the emulator handles a few hundred requests a second on a shared machine.
    const deadline = Date.now() + 300_000 + files * 1_000;
    let accounted = 0;
    while (accounted < files) {
      if (Date.now() > deadline) {
        throw new EndToEndError(
          `e2e ${files}: only ${accounted} files had a result or an error by the deadline; executor logs in ${work}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const key of await listKeys(s3, resultsBucket, RESULTS_PREFIXES.summaries)) {
        // A batch's batch.json sits beside its shard summaries once a finisher has run.
        if (shards.has(key) || !isShardSummaryKey(key)) continue;
        const summary = JSON.parse(await readText(s3, resultsBucket, key)) as ShardSummary;
        shards.set(key, {
          summary,
          results: jsonLines<ResultRecord>(
            await readText(s3, resultsBucket, resultKeys.results(summary.batchId, summary.shard)),
          ),
          errors: jsonLines<ErrorRecord>(
            await readText(s3, resultsBucket, resultKeys.errors(summary.batchId, summary.shard)),
          ),
        });
      }
      accounted = [...shards.values()].reduce((n, s) => n + s.results.length + s.errors.length, 0);
    }
    await executor.drain();

    const outputs = [...shards.values()];
    const accounting = accountFiles(
      keys,
      outputs.flatMap((o) => o.results.map((r) => r.source.key)),
      outputs.flatMap((o) => o.errors.map((e) => e.source.key)),
    );
    const shardOfKey = new Map<string, ShardSummary>();
    for (const o of outputs) {
      for (const record of [...o.results, ...o.errors])
        shardOfKey.set(record.source.key, o.summary);
    }
    const batchIds = [...new Set(outputs.map((o) => o.summary.batchId))];
    const traces: BatchTrace[] = await Promise.all(
      batchIds.map(async (batchId) => {
        const manifest = validateManifest(
          JSON.parse(await readText(s3, resultsBucket, resultKeys.manifest(batchId))),
        );
        const [job] = await jobsNamed(batch, resources.jobQueueArn, inferJobName(batchId));
        if (job?.createdAt === undefined) {
          throw new EndToEndError(`batch ${batchId}: no array job named ${inferJobName(batchId)}`);
        }
        return {
          batchId,
          firstUploadMs: Math.min(
            ...manifest.items.map((item) => uploadedAt.get(item.key) ?? Infinity),
          ),
          closedMs: new Date(manifest.createdAt).getTime(),
          submittedMs: job.createdAt,
          shards: outputs.filter((o) => o.summary.batchId === batchId).map((o) => o.summary),
        };
      }),
    );
    succeeded = true;
    return {
      files,
      corruptFiles: Math.floor(files / CORRUPT_EVERY),
      thresholds: { maxFiles, shardSize, maxWaitSeconds: MAX_WAIT_SECONDS },
      parallelism: PARALLELISM,
      maxQueuedNotifications: MAX_QUEUED_NOTIFICATIONS,
      accounting,
      timeline: runTimeline(uploadStart, uploadEnd, uploadedAt, traces, shardOfKey),
      batcherInvocations: pump.invocations,
      backgroundErrors: errors,
    };
  } finally {
    await pump.stop();
    executor.stop();
    await executor.drain();
    // Kept after a failure: the executor's per-process logs say what went wrong.
    if (succeeded) rmSync(work, { recursive: true, force: true });
  }
}
