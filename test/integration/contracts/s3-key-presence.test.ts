import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  anyKeyUnder,
  getExistingObject,
  getObjectIfExists,
  keyExists,
} from '../../../lib/contracts/s3-key-presence';
import { describeOnEmulator, MISSING_KEY_ANSWERS } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';

let s3: S3Client;
let bucket: string;

// Once as moto answers a missing key (404), once as S3 may answer it (403 AccessDenied).
for (const missingKeys of MISSING_KEY_ANSWERS) {
  describeOnEmulator(
    ['s3'],
    `whether a key exists, a missing key answering ${missingKeys}`,
    () => {
      beforeAll(async () => {
        // Given a bucket holding models/a/champion.json2 and models/a/champion.json.d/x, but
        // not models/a/champion.json itself, and models/b/champion.json
        s3 = s3Client();
        bucket = await createBucket(s3);
        for (const key of [
          'models/a/champion.json2',
          'models/a/champion.json.d/x',
          'models/b/champion.json',
        ]) {
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
        }
      });

      test('a key exists only when exactly it is listed, not a longer key it prefixes', async () => {
        // When each champion.json is looked for / then only b's is there
        expect(await keyExists(s3, bucket, 'models/a/champion.json')).toBe(false);
        expect(await keyExists(s3, bucket, 'models/b/champion.json')).toBe(true);
      });

      test('a prefix has keys when any key starts with it', async () => {
        // When each model's folder is looked into / then a's has keys and c's none
        expect(await anyKeyUnder(s3, bucket, 'models/a/')).toBe(true);
        expect(await anyKeyUnder(s3, bucket, 'models/c/')).toBe(false);
      });

      test('a read of a key that may be missing gives its body or nothing', async () => {
        // When b's and a's champion.json are read as keys that may be missing
        const present = await getObjectIfExists(s3, {
          Bucket: bucket,
          Key: 'models/b/champion.json',
        });
        const absent = await getObjectIfExists(s3, {
          Bucket: bucket,
          Key: 'models/a/champion.json',
        });
        // Then b's body comes back, and for a's nothing, not an error
        expect(await present?.Body?.transformToString()).toBe('models/b/champion.json');
        expect(absent).toBeUndefined();
      });

      test('a read of a key that must exist fails naming it', async () => {
        // When a's missing champion.json is read as a key that has to exist
        const reading = getExistingObject(s3, { Bucket: bucket, Key: 'models/a/champion.json' });
        // Then the error names its URL and S3's answer
        await expect(reading).rejects.toMatchObject({ name: 'ObjectReadError' });
        await expect(reading).rejects.toThrow(
          new RegExp(
            `^s3://${bucket}/models/a/champion.json: not readable \\((NoSuchKey|AccessDenied): `,
          ),
        );
      });
    },
    { missingKeys },
  );
}
