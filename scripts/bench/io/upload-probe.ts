/**
 * One upload of `npm run bench:upload`, in a process of its own so its peak memory is its own:
 * writes `mib` MiB of NDJSON, produced chunk by chunk as the worker reads checkpoint parts, to
 * one object with the given part size and queue size, and prints one JSON line: seconds, peak RSS, peak heap and
 * external (Buffer) memory, and the RSS before the upload started.
 * Reads BENCH_UPLOAD_REQUEST (an UploadProbeRequest as JSON) and the emulator environment.
 */
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  uploadConcatenated,
  UploadLimits,
} from '../../../container/src/infer/output/upload-concatenated';

export interface UploadProbeRequest {
  readonly limits: UploadLimits;
  readonly mib: number;
  /** Size of each chunk the source yields, like one checkpoint part's text. */
  readonly chunkKiB: number;
  readonly bucket: string;
  readonly key: string;
}

export interface UploadProbeResult {
  readonly seconds: number;
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
  /** Sampled every 5 ms: heapUsed + external (Buffers live outside the V8 heap). */
  readonly peakHeapAndExternalMiB: number;
}

const MiB = 1024 * 1024;
const LINE =
  '{"schemaVersion":1,"recordId":"s3://input/incoming/0000000.png","predictions":[{"label":"7","score":0.98}]}\n';

async function* ndjson(totalBytes: number, chunkBytes: number): AsyncGenerator<string> {
  const linesPerChunk = Math.max(1, Math.floor(chunkBytes / LINE.length));
  for (let written = 0; written < totalBytes;) {
    const lines = Math.min(linesPerChunk, Math.ceil((totalBytes - written) / LINE.length));
    const chunk = LINE.repeat(lines);
    written += chunk.length;
    yield chunk;
  }
}

async function main(): Promise<void> {
  const request = JSON.parse(process.env.BENCH_UPLOAD_REQUEST ?? '') as UploadProbeRequest;
  const s3 = s3Client();
  const target = { bucket: request.bucket, key: request.key };
  const chunks = ndjson(request.mib * MiB, request.chunkKiB * 1024);
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakHeap = 0;
  const sample = () => {
    const { heapUsed, external } = process.memoryUsage();
    peakHeap = Math.max(peakHeap, heapUsed + external);
  };
  const sampler = setInterval(sample, 5);
  const began = performance.now();
  await uploadConcatenated(s3, target, chunks, 'application/x-ndjson', request.limits);
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  sample();
  const result: UploadProbeResult = {
    seconds,
    baselineRssMiB: baselineRss / MiB,
    // maxRSS is in KiB: the true peak of the process, not a sample.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapAndExternalMiB: peakHeap / MiB,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
