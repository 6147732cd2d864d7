import { objectRecords } from '../../../container/src/infer/input/object-records';
import type { InputSpec } from '../../../lib/contracts/registry';
import { digitPng } from '../../../test/helpers/train-digits';

export interface BenchInputs {
  readonly pngs: readonly Uint8Array[];
  /** The model inputs the worker's own decoding and preprocessing make of those PNGs. */
  readonly inputs: readonly Float32Array[];
}

/** `count` real MNIST digits (cycling through the ten classes) as PNGs and model inputs. */
export function benchInputs(count: number, spec: InputSpec): BenchInputs {
  const pngs = Array.from({ length: count }, (_, i) => digitPng(i % 10, Math.floor(i / 10)));
  const inputs = pngs.map((png, i) => {
    const records = objectRecords(`digit-${i}.png`, png, spec, { maxPixels: 40_000_000 });
    if (records.samples.length !== 1) {
      throw new Error(`benchmark input ${i}: ${JSON.stringify(records.failures)}`);
    }
    return records.samples[0].input;
  });
  return { pngs, inputs };
}
