import type { ManifestItem } from '../../../lib/contracts/manifest';
import { RecordError, ShardInterruptedError } from './errors';
import { decodePool } from './input/decode-pool';
import { inlineDecoder } from './input/decoder';
import { itemRecords } from './input/item-records';
import type { Sample } from './input/object-records';
import type { RecordFailure } from './input/parse-records';
import { readInput } from './input/read-input';
import type { PartMeta } from './output/checkpoint-parts';
import type { CheckpointStore } from './output/checkpoint-store';
import { PartBuffer } from './output/part-buffer';
import { errorRecord, resultRecord, ShardContext } from './output/record-builders';
import { SerialWriter } from './output/serial-writer';
import { scoreWithBisection } from './pipeline/bisect-score';
import { orderedPrefetch } from './pipeline/ordered-prefetch';
import { topK } from './pipeline/top-k';
import type { ShardRun } from './shard-run';
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
  const k = options.topKFromJob ? options.topK : (model.metadata.defaultTopK ?? options.topK);

  const fail = (
    { itemIndex, item }: Omit<Pending, 'sample'>,
    { offset, member }: Pick<RecordFailure, 'offset' | 'member'>,
    error: RecordError,
  ) => {
    counters.failed++;
    buffer.addError(
      itemIndex,
      errorRecord(context, { item, offset, member }, error.code, error.message),
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
        const predictions = topK(scores, labels, k);
        counters.ok++;
        const { offset, member } = entry.sample;
        buffer.addResult(
          entry.itemIndex,
          resultRecord(context, { item: entry.item, offset, member }, predictions),
        );
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        fail(entry, entry.sample, error);
      }
    }
    for (const { sample: entry, reason } of outcome.failed) {
      fail(
        entry,
        entry.sample,
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
  const reader = {
    s3: run.s3,
    decoder,
    spec: model.metadata.input,
    decodeLimits: { maxPixels: options.maxImagePixels },
    inputLimits: {
      maxObjectBytes: options.maxObjectBytes,
      maxArchiveBytes: options.maxArchiveBytes,
    },
    archiveLimits: {
      maxMemberBytes: options.maxMemberBytes,
      maxMembers: options.maxArchiveMembers,
      maxArchiveBytes: options.maxArchiveBytes,
    },
    membersAhead: options.archivePrefetch,
  };
  // Download and decode together, ahead of the model: decoding runs as objects arrive, and an
  // archive's members as they stream in.
  const fetchRecords = async (entry: { itemIndex: number; item: ManifestItem }) => {
    const began = performance.now();
    const input = await readInput(run.s3, entry.item, reader.inputLimits);
    stages.downloadMs += elapsedSince(began);
    return { ...entry, chunks: await itemRecords(input, entry.item, reader) };
  };
  const inputs = orderedPrefetch(
    items.slice(start).map((item, i) => ({ item, itemIndex: start + i })),
    fetchRecords,
    options,
    (entry) => entry.item.size,
  );

  try {
    for await (const { itemIndex, item, chunks } of inputs) {
      for await (const { records, decodeMs } of chunks) {
        stages.decodeMs += decodeMs;
        for (const failure of records.failures) {
          fail({ itemIndex, item }, failure, new RecordError(failure.code, failure.reason));
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
