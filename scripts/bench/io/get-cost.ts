import type { S3Client } from '@aws-sdk/client-s3';
import { downloadObject } from '../../../container/src/infer/input/download-object';
import { mapLimit } from '../../../lambda/shared/map-limit';
import type { ManifestItem } from '../../../lib/contracts/manifest';

export interface GetCost {
  readonly getsPerSecond: number;
  /** Client CPU (user + system, this whole process) per GET, in microseconds. */
  readonly cpuUsPerGet: number;
}

/**
 * GETs/s and client CPU per GET of reading every item whole as the worker does (`downloadObject`
 * through `s3`, with `inFlight` GETs open), and nothing else: what one GET costs the worker's
 * process, apart from decoding and scoring. The CPU is the process's, from process.cpuUsage.
 */
export async function getCost(
  s3: S3Client,
  items: readonly ManifestItem[],
  inFlight: number,
): Promise<GetCost> {
  const maxBytes = Math.max(...items.map((item) => item.size));
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await mapLimit(items, inFlight, async (item) => {
    const download = await downloadObject(s3, item, maxBytes);
    if (download.failure) throw new Error(`get-cost: ${download.failure.reason}`);
  });
  const seconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    getsPerSecond: items.length / seconds,
    cpuUsPerGet: (cpu.user + cpu.system) / items.length,
  };
}
