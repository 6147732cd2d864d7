import type { InputSpec } from '../../lib/contracts/registry';
import type { Scorer } from '../../container/src/model/load-scorer';
import { objectRecords } from '../../container/src/infer/input/object-records';
import { topK } from '../../container/src/infer/pipeline/top-k';
import { measure } from './measure-rate';

export interface ThroughputRow {
  readonly batchSize: number;
  /** Model call only: a batch of ready float inputs in, scores out. */
  readonly computeImagesPerSecond: number;
  /** PNG bytes in memory to top-3 predictions: decode, preprocess, model call, top-k. */
  readonly endToEndImagesPerSecond: number;
}

export interface ThroughputInputs {
  readonly scorer: Scorer;
  readonly spec: InputSpec;
  readonly labels: readonly string[];
  /** Ready model inputs and the PNGs they came from, used round-robin. */
  readonly inputs: readonly Float32Array[];
  readonly pngs: readonly Uint8Array[];
}

const TOP_K = 3;
const LIMITS = { maxPixels: 40_000_000 };

function window<T>(pool: readonly T[], start: number, size: number): T[] {
  return Array.from({ length: size }, (_, i) => pool[(start + i) % pool.length]);
}

/** Images per second through the worker's compute path, at one batch size. */
export async function ourThroughput(
  t: ThroughputInputs,
  batchSize: number,
  minSeconds: number,
): Promise<ThroughputRow> {
  let next = 0;
  const compute = await measure(async () => {
    const batch = window(t.inputs, next, batchSize);
    next += batchSize;
    await t.scorer.score(batch);
  }, minSeconds);
  const endToEnd = await measure(async () => {
    const batch = window(t.pngs, next, batchSize);
    next += batchSize;
    const inputs = batch.flatMap(
      (bytes, i) => objectRecords(`bench-${i}.png`, bytes, t.spec, LIMITS).samples,
    );
    const scores = await t.scorer.score(inputs.map((sample) => sample.input));
    for (const row of scores) topK(row, t.labels, TOP_K);
  }, minSeconds);
  return {
    batchSize,
    computeImagesPerSecond: batchSize / compute.secondsPerCall,
    endToEndImagesPerSecond: batchSize / endToEnd.secondsPerCall,
  };
}
