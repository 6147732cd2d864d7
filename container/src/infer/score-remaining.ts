import type { ManifestItem } from '../../../lib/contracts/manifest';
import { RecordError, ShardInterruptedError } from './errors';
import { decodePool } from './input/decode-pool';
import { inlineDecoder } from './input/decoder';
import { downloadObject } from './input/download-object';
import type { ObjectRecords, Sample } from './input/object-records';
import type { PartMeta } from './output/checkpoint-parts';
import type { CheckpointStore } from './output/checkpoint-store';
import { PartBuffer } from './output/part-buffer';
import { errorRecord, resultRecord, ShardContext } from './output/record-builders';
import { SerialWriter } from './output/serial-writer';
import { scoreWithBisection } from './pipeline/bisect-score';
import { orderedPrefetch } from './pipeline/ordered-prefetch';
import { topK } from './pipeline/top-k';
import type { ShardRun } from './run-shard';
import type { StageTimings } from './output/shard-summary';

interface Pending {
  readonly itemIndex: number;
  readonly item: ManifestItem;
  readonly sample: Sample;
}

/** Stage times, added up while the shard runs. */
export type MutableStageTimings = { -readonly [K in keyof StageTimings]: StageTimings[K] };

export interface Counters {
  ok: number;
  failed: number;
  itemsDone: number;
}

export const elapsedSince = (start: number) => performance.now() - start;

/**
 * Scores the items of one shard not covered by a checkpoint: downloads run ahead with bounded
 * concurrency, each object is decoded as it arrives, records are scored in mini-batches, and
 * outputs are checkpointed in parts written in the background. Returns the parts of this
 * attempt.
 */
export async function scoreRemaining(
  run: ShardRun,
  context: ShardContext,
  items: readonly ManifestItem[],
  start: number,
  store: CheckpointStore,
  stages: MutableStageTimings,
  counters: Counters,
): Promise<PartMeta[]> {
  const { options, scorer, model } = run;
  const buffer = new PartBuffer(start);
  const writer = new SerialWriter();
  const written: PartMeta[] = [];
  let pending: Pending[] = [];
  let decodedThrough = start;
  const labels = model.metadata.labels;

  const fail = (pendingRecord: Omit<Pending, 'sample'>, offset: number, error: RecordError) => {
    counters.failed++;
    buffer.addError(
      pendingRecord.itemIndex,
      errorRecord(context, pendingRecord.item, offset, error.code, error.message),
    );
  };

  const scoreBatch = async (batch: readonly Pending[]) => {
    const began = performance.now();
    const outcome = await scoreWithBisection(batch, (part) =>
      scorer.score(part.map((entry) => entry.sample.input)),
    );
    stages.inferenceMs += elapsedSince(began);
    for (const { sample: entry, scores } of outcome.scored) {
      try {
        const predictions = topK(scores, labels, options.topK);
        counters.ok++;
        buffer.addResult(
          entry.itemIndex,
          resultRecord(context, entry.item, entry.sample.offset, predictions),
        );
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        fail(entry, entry.sample.offset, error);
      }
    }
    for (const { sample: entry, reason } of outcome.failed) {
      fail(
        entry,
        entry.sample.offset,
        new RecordError('INFERENCE_FAILED', `model call failed: ${reason}`),
      );
    }
  };

  let cutAt = start;
  const cut = async (endItem: number) => {
    cutAt = endItem;
    const part = buffer.take(endItem);
    written.push(part.meta);
    await writer.submit(async () => {
      const began = performance.now();
      await store.writePart(part);
      stages.writeMs += elapsedSince(began);
    });
  };

  // Items before the first unscored record are complete: a part may end there.
  const completeThrough = () => (pending.length > 0 ? pending[0].itemIndex : decodedThrough);

  const decoder =
    options.decodeThreads > 0
      ? decodePool(options.decodeThreads, { timeoutMs: options.decodeTimeoutSeconds * 1000 })
      : inlineDecoder();
  const limits = { maxPixels: options.maxImagePixels };
  // Download and decode together, ahead of the model: decoding runs as objects arrive.
  const fetchRecords = async (entry: { itemIndex: number; item: ManifestItem }) => {
    const began = performance.now();
    const download = await downloadObject(run.s3, entry.item, options.maxObjectBytes);
    stages.downloadMs += elapsedSince(began);
    if (download.failure) {
      const records: ObjectRecords = {
        samples: [],
        failures: [{ offset: 0, ...download.failure }],
        skipped: 0,
      };
      return { ...entry, records };
    }
    const decoded = await decoder.decode({
      key: entry.item.key,
      bytes: download.bytes,
      spec: model.metadata.input,
      limits,
    });
    stages.decodeMs += decoded.decodeMs;
    return { ...entry, records: decoded.records };
  };
  const inputs = orderedPrefetch(
    items.slice(start).map((item, i) => ({ item, itemIndex: start + i })),
    fetchRecords,
    options,
  );

  try {
    for await (const { itemIndex, item, records } of inputs) {
      for (const failure of records.failures) {
        fail({ itemIndex, item }, failure.offset, new RecordError(failure.code, failure.reason));
      }
      buffer.addSkipped(itemIndex, records.skipped);
      for (const sample of records.samples) {
        pending.push({ itemIndex, item, sample });
        if (pending.length >= options.batchSize) {
          const batch = pending;
          pending = [];
          await scoreBatch(batch);
        }
      }
      decodedThrough = itemIndex + 1;
      counters.itemsDone = completeThrough();
      if (buffer.recordsBefore(counters.itemsDone) >= options.checkpointRecords) {
        await cut(counters.itemsDone);
      }
      if (run.stop.aborted) break;
    }
    if (pending.length > 0) await scoreBatch(pending);
    counters.itemsDone = decodedThrough;
    if (cutAt < decodedThrough) await cut(decodedThrough);
    await writer.drain();
    if (decodedThrough < items.length) {
      throw new ShardInterruptedError(
        `stopped after object ${decodedThrough} of ${items.length}, all checkpointed: a retry resumes there`,
      );
    }
  } finally {
    await decoder.close();
  }
  return written;
}
