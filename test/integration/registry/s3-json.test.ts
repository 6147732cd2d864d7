import { s3Client } from '../../../lib/contracts/aws-clients';
import { readJson, writeJson } from '../../../container/src/registry/s3-json';
import { createBucket } from '../../helpers/emulator-resources';

const s3 = s3Client();

describe('registry JSON objects on the emulator', () => {
  it('never replaces an existing object with a conditional create', async () => {
    // given an object written once
    const bucket = await createBucket(s3);
    expect(await writeJson(s3, bucket, 'a.json', { n: 1 }, true)).toBe(true);

    // when a conditional create targets the same key
    const created = await writeJson(s3, bucket, 'a.json', { n: 2 }, true);

    // then it reports the conflict and the first content stays
    expect(created).toBe(false);
    expect(await readJson(s3, bucket, 'a.json')).toEqual({ n: 1 });
  });

  it('reads a missing key as undefined', async () => {
    // given an empty bucket / when a key is read / then there is nothing
    const bucket = await createBucket(s3);
    expect(await readJson(s3, bucket, 'missing.json')).toBeUndefined();
  });
});
