import { PutObjectCommand } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { resultKeys } from '../../../lib/contracts/keys';
import { shardItems } from '../../../lib/contracts/manifest';
import type { ShardSummary } from '../../../lib/contracts/records';
import { ErrorBudgetExceededError } from './errors';
import { contiguousParts, PartMeta, resumePoint } from './output/checkpoint-parts';
import { CheckpointStore } from './output/checkpoint-store';
import { uploadConcatenated } from './output/upload-concatenated';
import type { ShardContext } from './output/record-builders';
import { shardSummary, shardTotals, StageTimings } from './output/shard-summary';
import { errorBudgetViolation } from './pipeline/error-budget';
import type { ProgressSnapshot } from './progress/format-progress';
import { startProgressReporter } from './progress/progress-reporter';
import { Counters, elapsedSince, MutableStageTimings, scoreRemaining } from './score-remaining';
import { AccessCall, EXAMPLE } from '../../../lib/contracts/access';
import type { ShardRun } from './shard-run';

async function* concatenated(
  parts: readonly PartMeta[],
  read: (part: PartMeta) => Promise<string>,
): AsyncGenerator<string> {
  for (const part of parts) yield await read(part);
}

/**
 * Runs one shard of a batch to completion, resuming after the last checkpoint part of an
 * earlier attempt, and writes its results, errors and summary objects, the summary last. Each
 * is written whole under a deterministic key, so a retried shard overwrites, never duplicates.
 * Throws ErrorBudgetExceededError (after writing the error stream) when too many records fail.
 */
export async function runShard(run: ShardRun): Promise<ShardSummary> {
  const { manifest, options, s3, log } = run;
  const startedAt = new Date();
  const began = performance.now();
  const items = shardItems(manifest, options.shard);
  const context: ShardContext = {
    batchId: manifest.batchId,
    shard: options.shard,
    model: { name: run.model.metadata.name, version: run.model.metadata.version },
  };
  const store = new CheckpointStore(
    s3,
    options.resultsBucket,
    resultKeys.checkpointPrefix(manifest.batchId, options.shard),
  );
  const chain = contiguousParts(await store.listParts(), items.length);
  const start = resumePoint(chain);
  const earlier = await Promise.all(chain.map((range) => store.readMeta(range)));
  log(
    `shard ${options.shard} of batch ${manifest.batchId}: ${items.length} objects, ` +
      (start > 0
        ? `resuming at object ${start} after ${chain.length} checkpoint parts`
        : 'starting fresh') +
      `, model ${context.model.name}@${context.model.version}, batch size ${options.batchSize}`,
  );

  const stages: MutableStageTimings = { downloadMs: 0, decodeMs: 0, inferenceMs: 0, writeMs: 0 };
  const counters: Counters = { ok: 0, failed: 0, itemsDone: start };
  const snapshot = (): ProgressSnapshot => ({
    itemsTotal: items.length,
    itemsDone: counters.itemsDone,
    itemsResumed: start,
    ok: counters.ok,
    failed: counters.failed,
    elapsedMs: elapsedSince(began),
    numTensors: tf.memory().numTensors,
  });
  const progress = startProgressReporter(snapshot, options.progressSeconds * 1000, log);
  let parts: PartMeta[];
  try {
    parts =
      start < items.length
        ? [
            ...earlier,
            ...(await scoreRemaining(run, context, items, start, store, stages, counters)),
          ]
        : earlier;
  } finally {
    progress.stop();
  }

  const totals = shardTotals(parts);
  const violation = errorBudgetViolation(
    totals.counts,
    totals.errorsByCode,
    options.maxErrorFraction,
  );
  const writeBegan = performance.now();
  const errorsKey = resultKeys.errors(manifest.batchId, options.shard);
  await uploadConcatenated(
    s3,
    { bucket: options.resultsBucket, key: errorsKey },
    concatenated(parts, (part) => store.readErrors(part)),
    'application/x-ndjson',
  );
  if (violation !== undefined) {
    throw new ErrorBudgetExceededError(
      `shard ${options.shard} of batch ${manifest.batchId}: ${violation}; reasons in s3://${options.resultsBucket}/${errorsKey}`,
    );
  }
  await uploadConcatenated(
    s3,
    { bucket: options.resultsBucket, key: resultKeys.results(manifest.batchId, options.shard) },
    concatenated(parts, (part) => store.readResults(part)),
    'application/x-ndjson',
  );
  const timings: StageTimings = { ...stages, writeMs: stages.writeMs + elapsedSince(writeBegan) };
  const summary = shardSummary(context, run.backend, totals, timings, startedAt, new Date());
  await s3.send(
    new PutObjectCommand({
      Bucket: options.resultsBucket,
      Key: resultKeys.summary(manifest.batchId, options.shard),
      Body: JSON.stringify(summary),
      ContentType: 'application/json',
    }),
  );
  await store.deleteAll();
  return summary;
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['inferJob'],
    sdk: 'PutObjectCommand',
    action: 's3:PutObject',
    resources: [{ s3: 'results', key: resultKeys.summary(EXAMPLE.batchId, 0) }],
    why: "writes the shard's summary, the mark that it finished",
  },
];
