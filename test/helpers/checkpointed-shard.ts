import type { S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import { createBucket } from './emulator-resources';
import { uploadInputs, writeManifest } from './worker-batch-fixture';
import { mnistDigit, pngOf, truncatedPng } from './worker-image-fixtures';
import { publishDigitsChampion } from './worker-model-fixture';
import { listKeys } from './worker-results';

/** A shard of 300 images, every 50th one corrupt, checkpointed every 20 records. */
export async function shardOf300(s3: S3Client, batchId: string) {
  const models = await createBucket(s3);
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  await publishDigitsChampion(s3, models);
  const files = Array.from({ length: 300 }, (_, i) => ({
    key: `incoming/${String(i).padStart(3, '0')}.png`,
    body: i % 50 === 49 ? truncatedPng() : pngOf(mnistDigit(i % 10, Math.floor(i / 10)), 28, 28),
  }));
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
