import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import { ManifestStore } from '../../../lambda/batcher/manifest-store';
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  manifestCountsByObject,
  onceEach,
  submittedBatches,
} from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import { BATCHER_SERVICES, createTestbed, invoke } from '../../helpers/batcher-harness';
import { describeOnEmulator, MISSING_KEY_ANSWERS } from '../../helpers/describe-on-emulator';
import { s3EventBody, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';

jest.setTimeout(60_000);

let shared: BatchResources;

const objects: BufferItem[] = ['a', 'b', 'c'].map((name) => ({
  bucket: 'input-bucket',
  key: `incoming/${name}.png`,
  size: 10,
  etag: `etag-${name}`,
}));

const bed3 = () =>
  createTestbed({ thresholds: { maxFiles: 3, maxBytes: 1024 ** 3, maxWaitMs: 300_000 } }, shared);

// Every new batch's manifest is created without a read of it first: run once as moto answers a
// missing key (404), once as S3 may answer it (403 AccessDenied).
for (const missingKeys of MISSING_KEY_ANSWERS) {
  describeOnEmulator(
    BATCHER_SERVICES,
    `batcher manifests, a missing key answering ${missingKeys}`,
    () => {
      beforeAll(async () => {
        shared = await createBatchResources((await createTestbed()).batch);
      });

      it('creates the manifest of a full batch and submits its job once', async () => {
        // given a delivery that fills a batch of three
        const bed = await bed3();
        // when it is processed
        await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))));
        // then one manifest names each object once, and one job runs it
        const batches = await submittedBatches(bed);
        expect(manifestCountsByObject(batches)).toEqual(onceEach(objects));
        expect(batches.map((b) => b.jobs.length)).toEqual([1]);
      });

      it('finds a redelivered object in the submitted batch and submits nothing new', async () => {
        // given a submitted batch of three
        const bed = await bed3();
        await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))));
        // when the same notifications are delivered again
        const outcome = await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))));
        // then the batch's manifest placed them, and nothing else was batched or submitted
        expect(outcome).toEqual({ batchItemFailures: [] });
        const batches = await submittedBatches(bed);
        expect(manifestCountsByObject(batches)).toEqual(onceEach(objects));
        expect(batches.map((b) => b.jobs.length)).toEqual([1]);
      });

      it('answers a batch without a manifest as such, and one with a manifest with it', async () => {
        // given a submitted batch and the id of a batch that never had a manifest
        const bed = await bed3();
        await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))));
        const [{ manifest }] = await submittedBatches(bed);
        const store = new ManifestStore(s3Client(), bed.config.resultsBucket);
        // when each is looked for
        // then the one is found and the other is absent, not an error
        expect(await store.find(manifest.batchId)).toEqual(manifest);
        expect(await store.find('20261207T100000Z-0000000000')).toBeUndefined();
      });
    },
    { missingKeys },
  );
}
