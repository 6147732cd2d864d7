/**
 * Batcher benchmark (`npm run bench:batcher`), results in docs/benchmarks.md (## Batcher).
 * 1. Pure logic on one core: parse S3-event bodies and apply the batching policy; target
 *    at least 50,000 messages per second.
 * 2. One invocation of 10,000 SQS messages end to end against the emulator (moto): buffer,
 *    close, manifest and SubmitJob, with its time and the peak memory of this process, which
 *    must fit the function's 512 MB.
 * Usage: tsx scripts/bench/e2e/bench-batcher.ts [--messages 10000] [--pure-messages 200000]
 */
import { randomUUID } from 'node:crypto';
import { BatchClient } from '@aws-sdk/client-batch';
import type { SQSBatchResponse } from 'aws-lambda';
import { dynamoClient, s3Client } from '../../../lib/contracts/aws-clients';
import { BatchCounters, closeReason, countFitting } from '../../../lambda/batcher/batch-policy';
import { DEFAULT_THRESHOLDS } from '../../../lambda/batcher/config';
import { createBatcherContext } from '../../../lambda/batcher/create-context';
import { parseS3EventBody } from '../../../lambda/batcher/parse-s3-event';
import { routeEvent } from '../../../lambda/batcher/route-event';
import { emulatorEnvironment, startEmulator } from '../../local/moto-server';
import {
  createBatchResources,
  createBufferTable,
} from '../../../test/helpers/batcher-emulator-resources';
import { createBucket } from '../../../test/helpers/emulator-resources';
import { s3EventBody, sqsEvent, sqsRecord } from '../../../test/helpers/s3-event-factory';

const PURE_TARGET_PER_SECOND = 50_000;
const LAMBDA_MEMORY_MB = 512;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name}: expected a positive integer, got '${process.argv[index + 1]}'`);
  }
  return value;
}

/** Realistic bodies: mostly one record, every tenth with three, keys with spaces and UTF-8. */
function bodies(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const object = (j: number) => ({
      key: `incoming/camera ${i % 97}/frame-${i}-${j} zürich.png`,
      size: 20_000 + ((i * 7919 + j) % 100_000),
      etag: `etag${i}x${j}`,
    });
    return i % 10 === 0 ? s3EventBody(object(0), object(1), object(2)) : s3EventBody(object(0));
  });
}

/** One timed pass over `input`: parse each body, then fill and close batches by the policy. */
function pureLogicPass(input: readonly string[]): {
  perSecond: number;
  items: number;
  batches: number;
} {
  const filter = { bucket: 'input-bucket', prefix: 'incoming/', suffixes: ['.png', '.jpg'] };
  const thresholds = DEFAULT_THRESHOLDS;
  const start = process.hrtime.bigint();
  let batch: BatchCounters = { files: 0, bytes: 0 };
  let items = 0;
  let batches = 0;
  const now = Date.now();
  for (const body of input) {
    const parsed = parseS3EventBody(body, filter);
    let pending = parsed.items.map((item) => item.size);
    while (pending.length > 0) {
      const taken = countFitting(pending, batch, thresholds);
      const bytes = pending.slice(0, taken).reduce((sum, size) => sum + size, 0);
      batch = {
        files: batch.files + taken,
        bytes: batch.bytes + bytes,
        oldestItemAt: batch.oldestItemAt ?? now,
      };
      items += taken;
      pending = pending.slice(taken);
      if (pending.length > 0 || closeReason(batch, now, thresholds)) {
        batches += 1;
        batch = { files: 0, bytes: 0 };
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: input.length / seconds, items, batches };
}

/** A warm-up pass (JIT), then the median of three timed passes: the machine is shared. */
function benchPureLogic(messageCount: number) {
  const input = bodies(messageCount);
  pureLogicPass(input.slice(0, Math.ceil(messageCount / 5)));
  const passes = [pureLogicPass(input), pureLogicPass(input), pureLogicPass(input)].sort(
    (a, b) => a.perSecond - b.perSecond,
  );
  return { ...passes[1], slowest: passes[0].perSecond, fastest: passes[2].perSecond };
}

async function benchEndToEnd(messageCount: number) {
  const emulator = await startEmulator();
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  try {
    const s3 = s3Client();
    const dynamo = dynamoClient();
    const batch = new BatchClient({ maxAttempts: 1 });
    const [bufferTable, resultsBucket, resources] = await Promise.all([
      createBufferTable(dynamo),
      createBucket(s3),
      createBatchResources(batch),
    ]);
    // Batches of 5,000 files so that the invocation fills, closes and submits two of them.
    const config = {
      bufferTable,
      resultsBucket,
      jobQueue: resources.jobQueueArn,
      inferJobDefinition: resources.jobDefinitionArn,
      model: { name: 'digits' },
      // The bucket the event factory names.
      inputBucket: 'input-bucket',
      inputPrefix: 'incoming/',
      inputSuffixes: [],
      thresholds: { ...DEFAULT_THRESHOLDS, maxFiles: 5_000 },
      shardSize: 1_000,
      metricsNamespace: 'Bench',
    };
    const event = sqsEvent(
      ...Array.from({ length: messageCount }, (_, i) =>
        sqsRecord(s3EventBody({ key: `incoming/bench/${i}.png`, size: 50_000, etag: `etag-${i}` })),
      ),
    );
    let logLines = 0;
    const ctx = createBatcherContext(
      config,
      { dynamo, s3, batch },
      {
        invocationId: randomUUID(),
        leaseUntil: () => Date.now() + 180_000,
        sink: () => {
          logLines += 1;
        },
      },
    );
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const start = process.hrtime.bigint();
    const response = (await routeEvent(event, ctx)) as SQSBatchResponse;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const manifests = await ctx.store.listUnsubmittedBatches();
    return {
      seconds,
      failures: response.batchItemFailures.length,
      rssBeforeMb: rssBefore / 2 ** 20,
      peakRssMb: peakRss / 2 ** 20,
      openBatchesLeft: manifests.length,
      logLines,
    };
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const pureMessages = argument('pure-messages', 200_000);
  const messages = argument('messages', 10_000);

  // End to end first, so the pure run's garbage does not inflate the memory reading.
  const e2e = await benchEndToEnd(messages);
  console.log(
    `end to end: one invocation of ${messages} messages in ${e2e.seconds.toFixed(1)} s ` +
      `(${Math.round(messages / e2e.seconds)} messages/s against moto), ${e2e.failures} failures, ` +
      `${e2e.openBatchesLeft} batch(es) left unsubmitted; RSS ${e2e.rssBeforeMb.toFixed(0)} MB before, ` +
      `peak ${e2e.peakRssMb.toFixed(0)} MB (limit ${LAMBDA_MEMORY_MB} MB): ` +
      `${e2e.peakRssMb < LAMBDA_MEMORY_MB && e2e.failures === 0 ? 'PASS' : 'FAIL'}`,
  );
  const pure = benchPureLogic(pureMessages);
  console.log(
    `pure logic: ${pureMessages} messages (${pure.items} objects, ${pure.batches} batches) ` +
      `at ${Math.round(pure.perSecond).toLocaleString('en-US')} messages/s on one core ` +
      `(median of 3 passes; ${Math.round(pure.slowest).toLocaleString('en-US')} to ` +
      `${Math.round(pure.fastest).toLocaleString('en-US')}) ` +
      `(target ${PURE_TARGET_PER_SECOND.toLocaleString('en-US')}): ${pure.perSecond >= PURE_TARGET_PER_SECOND ? 'PASS' : 'FAIL'}`,
  );

  if (
    pure.perSecond < PURE_TARGET_PER_SECOND ||
    e2e.peakRssMb >= LAMBDA_MEMORY_MB ||
    e2e.failures > 0
  ) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
