import type { S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import { createBucket } from './emulator-resources';
import { uploadInputs, writeManifest } from './worker-batch-fixture';
import { mnistDigit, pngOf, truncatedPng } from './worker-image-fixtures';
import { publishDigitsChampion } from './worker-model-fixture';
import { listKeys } from './worker-results';
import { tarOf, tgzOf } from './tar-fixtures';

const image = (i: number) =>
  i % 50 === 49 ? truncatedPng() : pngOf(mnistDigit(i % 10, Math.floor(i / 10)), 28, 28);

/** A shard of 300 images, every 50th one corrupt, checkpointed every 20 records. */
export async function shardOf300(s3: S3Client, batchId: string) {
  const files = Array.from({ length: 300 }, (_, i) => ({
    key: `incoming/${String(i).padStart(3, '0')}.png`,
    body: image(i),
  }));
  return checkpointedShard(s3, batchId, files);
}

/**
 * The same 300 images packed 30 to an archive, tars and tgzs in turn, checkpointed every 20
 * records: each part ends at an archive's end, as parts end only between objects.
 */
export async function shardOf300InArchives(s3: S3Client, batchId: string) {
  const files = await Promise.all(
    Array.from({ length: 10 }, async (_, a) => {
      const members = Array.from({ length: 30 }, (_, m) => ({
        name: `${String(a * 30 + m).padStart(3, '0')}.png`,
        body: image(a * 30 + m),
      }));
      return a % 2 === 0
        ? { key: `incoming/${a}.tar`, body: await tarOf(members) }
        : { key: `incoming/${a}.tgz`, body: await tgzOf(members) };
    }),
  );
  return checkpointedShard(s3, batchId, files);
}

async function checkpointedShard(
  s3: S3Client,
  batchId: string,
  files: { key: string; body: Uint8Array }[],
) {
  const models = await createBucket(s3);
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  await publishDigitsChampion(s3, models);
  const items = await uploadInputs(s3, inputs, files);
  const manifestUrl = await writeManifest(s3, results, batchId, { name: 'digits' }, items);
  return {
    results,
    files,
    items,
    argv: ['infer', '--manifest', manifestUrl, '--batch-size', '8'],
    env: {
      ...process.env,
      MODEL_BUCKET: models,
      RESULTS_BUCKET: results,
      WORKER_CHECKPOINT_RECORDS: '20',
    },
    hasCheckpoint: async () =>
      (await listKeys(s3, results, resultKeys.checkpointPrefix(batchId, 0))).some((k) =>
        /\d\.json$/.test(k),
      ),
  };
}
