/**
 * Child process of the decode property test: decodes each object named on stdin (a JSON list
 * of { path, key, spec, limits }) in turn and reports, per object, how far its decode raised
 * the process's peak resident memory above the resident memory just before it (after a full
 * GC), or null when the peak did not rise (the decode then stayed under an earlier peak).
 *
 *   node --expose-gc --import tsx test/helpers/decode-peak-memory.ts < requests.json
 */
import { readFileSync } from 'node:fs';
import type { InputSpec } from '../../lib/contracts/registry';
import type { DecodeLimits } from '../../container/src/infer/input/decode-image';
import { decodeNow } from '../../container/src/infer/input/decoder';
import { tensorflowImageInput } from '../../container/src/infer/input/tensorflow-image';
import { pngOfTinyChunks } from './png-encoder';

const WARM_UP = { width: 2, height: 2, bitDepth: 8, colorType: 0, interlace: 0 };
const WARM_UP_SPEC = {
  kind: 'image',
  width: 1,
  height: 1,
  channels: 3,
  scale: 1,
  offset: 0,
} as const;

interface PeakRequest {
  readonly path: string;
  readonly key: string;
  readonly spec: InputSpec;
  readonly limits: DecodeLimits;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const peakBytes = () => process.resourceUsage().maxRSS * 1024;

const requests = JSON.parse(readFileSync(0, 'utf8')) as PeakRequest[];
// TensorFlow's library, thread pools and allocator are set up once per process (a decode
// thread does it before it takes requests): done here first, with one small decode, so the
// measured growth is each decode's own.
const native = requests.find((request) => request.limits.native)?.limits.native;
if (native) {
  tensorflowImageInput('png', pngOfTinyChunks(WARM_UP, [0, 0, 0, 0]), WARM_UP_SPEC, native);
}
const growth = requests.map((request) => {
  const bytes = new Uint8Array(readFileSync(request.path));
  gc();
  const before = process.memoryUsage().rss;
  const peakBefore = peakBytes();
  decodeNow({ key: request.key, bytes, spec: request.spec, limits: request.limits });
  const peakAfter = peakBytes();
  return peakAfter > peakBefore ? peakAfter - before : null;
});
process.stdout.write(JSON.stringify(growth));
