import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { readJson, readJsonObject, writeJson } from '../../../container/src/registry/s3-json';
import { createBucket } from '../../helpers/emulator-resources';
import { describeOnEmulator, MISSING_KEY_ANSWERS } from '../../helpers/describe-on-emulator';

let s3: S3Client;

// Once as moto answers a missing key (404), once as S3 may answer it (403 AccessDenied).
for (const missingKeys of MISSING_KEY_ANSWERS) {
  describeOnEmulator(
    ['s3'],
    `registry JSON objects on the emulator, a missing key answering ${missingKeys}`,
    () => {
      beforeAll(() => {
        s3 = s3Client();
      });

      it('never replaces an existing object with a conditional create', async () => {
        // given an object written once
        const bucket = await createBucket(s3);
        expect(await writeJson(s3, bucket, 'a.json', { n: 1 }, { ifAbsent: true })).toBe(true);

        // when a conditional create targets the same key
        const created = await writeJson(s3, bucket, 'a.json', { n: 2 }, { ifAbsent: true });

        // then it reports the conflict and the first content stays
        expect(created).toBe(false);
        expect(await readJson(s3, bucket, 'a.json')).toEqual({ n: 1 });
      });

      it('reads a missing key as undefined', async () => {
        // given an empty bucket / when a key is read / then there is nothing
        const bucket = await createBucket(s3);
        expect(await readJson(s3, bucket, 'missing.json')).toBeUndefined();
      });

      it('replaces an object only when it is still the one read (compare-and-swap)', async () => {
        // given an object read with its ETag, then replaced by another writer
        const bucket = await createBucket(s3);
        await writeJson(s3, bucket, 'p.json', { v: 1 }, { ifAbsent: true });
        const read = (await readJsonObject(s3, bucket, 'p.json'))!;
        expect(await writeJson(s3, bucket, 'p.json', { v: 2 }, { ifMatch: read.etag })).toBe(true);

        // when a write names the ETag read before that replacement
        const stale = await writeJson(s3, bucket, 'p.json', { v: 3 }, { ifMatch: read.etag });

        // then it is refused and the other writer's content stays
        expect(stale).toBe(false);
        expect(await readJson(s3, bucket, 'p.json')).toEqual({ v: 2 });
      });

      it('refuses a compare-and-swap on an object that no longer exists', async () => {
        const bucket = await createBucket(s3);
        expect(await writeJson(s3, bucket, 'gone.json', { v: 1 }, { ifMatch: '"abc"' })).toBe(
          false,
        );
        expect(await readJson(s3, bucket, 'gone.json')).toBeUndefined();
      });
    },
    { missingKeys },
  );
}
