import type { InputSpec } from '../../../lib/contracts/registry';
import type { Scorer } from '../../../container/src/model/load-scorer';
import type { Decoder } from '../../../container/src/infer/input/decoder';
import { topK } from '../../../container/src/infer/pipeline/top-k';
import { measure } from './measure-rate';

export interface ThroughputRow {
  readonly batchSize: number;
  /** Model call only: a batch of ready float inputs in, scores out. */
  readonly computeImagesPerSecond: number;
  /**
   * PNG bytes in memory to top-3 predictions: decode and preprocess (on the worker's decode
   * threads, overlapped with the model as the worker does), model call, top-k.
   */
  readonly endToEndImagesPerSecond: number;
}

export interface ThroughputInputs {
  readonly scorer: Scorer;
  readonly spec: InputSpec;
  readonly labels: readonly string[];
  /** Ready model inputs and the PNGs they came from, used round-robin. */
  readonly inputs: readonly Float32Array[];
  readonly pngs: readonly Uint8Array[];
  /** The worker's decoder: its decode threads, or inline when it has none. */
  readonly decoder: Decoder;
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
  // As in the worker, the next batch decodes (on the decode threads) while this one is scored.
  const decodeNext = () => {
    const batch = window(t.pngs, next, batchSize);
    next += batchSize;
    return Promise.all(
      batch.map((bytes, i) =>
        t.decoder.decode({ key: `bench-${i}.png`, bytes, spec: t.spec, limits: LIMITS }),
      ),
    );
  };
  let decoding = decodeNext();
  const endToEnd = await measure(async () => {
    const decoded = await decoding;
    decoding = decodeNext();
    const inputs = decoded.flatMap((d) => d.records.samples.map((sample) => sample.input));
    const scores = await t.scorer.score(inputs);
    for (const row of scores) topK(row, t.labels, TOP_K);
  }, minSeconds);
  await decoding;
  return {
    batchSize,
    computeImagesPerSecond: batchSize / compute.medianSecondsPerCall,
    endToEndImagesPerSecond: batchSize / endToEnd.medianSecondsPerCall,
  };
}
