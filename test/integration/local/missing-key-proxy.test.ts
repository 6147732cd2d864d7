import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import {
  MissingKeyProxy,
  startMissingKeyProxy,
} from '../../../scripts/local/emulator/missing-key-proxy';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';

jest.setTimeout(60_000);

describeOnEmulator(['s3', 'sqs'], 'missing-key proxy in front of the emulator', () => {
  let proxy: MissingKeyProxy;
  let bucket: string;
  const viaProxy = () => s3Client(proxy.endpoint);

  beforeAll(async () => {
    proxy = await startMissingKeyProxy(process.env.AWS_ENDPOINT_URL!);
    bucket = await createBucket(s3Client());
    await s3Client().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'present/a.json', Body: '{"a":1}' }),
    );
  });
  afterAll(async () => {
    await proxy.close();
  });

  test('a GET of a missing key answers 403 AccessDenied, shaped as S3 sends it', async () => {
    // When a key that was never written is read through the proxy
    const read = viaProxy().send(new GetObjectCommand({ Bucket: bucket, Key: 'present/b.json' }));
    // Then the SDK sees S3's AccessDenied error, not NoSuchKey
    await expect(read).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('a HEAD of a missing key answers 403', async () => {
    // When a missing key is tested with HEAD
    const head = viaProxy().send(new HeadObjectCommand({ Bucket: bucket, Key: 'nothing/here' }));
    // Then it is denied too
    await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  test('reads of existing keys, listings and other services pass unchanged', async () => {
    // When an existing key is read, its prefix listed and SQS called through the proxy
    const { Body } = await viaProxy().send(
      new GetObjectCommand({ Bucket: bucket, Key: 'present/a.json' }),
    );
    const listing = await viaProxy().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'present/' }),
    );
    const queues = await new SQSClient({ endpoint: proxy.endpoint }).send(
      new ListQueuesCommand({}),
    );
    // Then each answers as the emulator does
    expect(await Body!.transformToString()).toBe('{"a":1}');
    expect(listing.Contents?.map((o) => o.Key)).toEqual(['present/a.json']);
    expect(queues.$metadata.httpStatusCode).toBe(200);
  });

  test('a missing bucket still answers NoSuchBucket', async () => {
    // When a key of a bucket that does not exist is read
    const read = viaProxy().send(
      new GetObjectCommand({ Bucket: `${bucket}-absent`, Key: 'present/a.json' }),
    );
    // Then the error is the bucket's, as S3 gives it to every caller
    await expect(read).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  test('counts the denials it made', () => {
    // Given the two missing-key reads above
    // Then the proxy counted them among its requests
    expect(proxy.stats().denied).toBe(2);
    expect(proxy.stats().requests).toBeGreaterThanOrEqual(6);
  });
});
