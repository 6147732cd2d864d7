import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { s3Client } from '../../../lib/contracts/aws-clients';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import {
  downloadObject,
  getObjectsWithSdk,
  openObject,
} from '../../../container/src/infer/input/download-object';
import { leanS3 } from '../../../container/src/infer/input/lean-s3';
import { RunningS3Server, startS3Server } from '../../../scripts/bench/io/s3-server';
import { createBucket } from '../../helpers/emulator-resources';
import { uploadInputs } from '../../helpers/worker-batch-fixture';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the scripted server does with one request: answer it, reset it, or never answer. */
type Step = { status: number; body: string } | 'reset' | 'stall';

/**
 * A loopback HTTP server that plays `script` one step per request (the last step repeats) and
 * records what it was sent: a stand-in for S3's failures, which no emulator produces on demand.
 */
async function scriptedServer(script: readonly Step[]) {
  const seen: Seen[] = [];
  const stalled: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const step = script[Math.min(seen.length, script.length) - 1];
    if (step === 'reset') req.socket.destroy();
    else if (step === 'stall') stalled.push(res);
    else {
      res.writeHead(step.status, { 'content-length': Buffer.byteLength(step.body) });
      res.end(step.body);
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    seen,
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const ok = (body: string): Step => ({ status: 200, body });
const s3Error = (status: number, code: string, message: string): Step => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

const item: ManifestItem = { bucket: 'inputs', key: 'in/a b.png', size: 5, etag: '"e1"' };

async function readThrough(script: readonly Step[], timeouts: readonly number[] = [60_000]) {
  const server = await scriptedServer(script);
  try {
    const s3 = s3Client(server.endpoint);
    const opened = await openObject(s3, item, timeouts);
    const text =
      opened.body === undefined ? undefined : await opened.body.setEncoding('utf-8').toArray();
    return { failure: opened.failure, text: text?.join(''), seen: server.seen };
  } finally {
    await server.close();
  }
}

describeOnEmulator([], 'the lean signed GET', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLEAN';
    process.env.AWS_SECRET_ACCESS_KEY = 'lean-secret';
    process.env.AWS_SESSION_TOKEN = 'lean-session-token';
  });
  afterAll(() => {
    process.env = saved;
  });

  it('signs the same request as the SDK would: same path, headers and signature', async () => {
    // given a server recording requests, and one S3Client with a session token pointed at it
    const server = await scriptedServer([ok('hello')]);
    try {
      const s3 = s3Client(server.endpoint);

      // when the SDK's GetObject and the lean GET read the same object at the same etag
      const sdk = await s3.send(
        new GetObjectCommand({ Bucket: item.bucket, Key: item.key, IfMatch: '"e1"' }),
      );
      await sdk.Body!.transformToString();
      const lean = await downloadObject(s3, item, 1024);

      // then the lean request goes to the same path with the same condition, host, token and
      // payload hash, in the same region and scope
      expect(Buffer.from(lean.bytes!).toString()).toBe('hello');
      const [fromSdk, fromLean] = server.seen;
      expect(fromLean.path).toBe(fromSdk.path.replace(/[?&]x-id=GetObject$/, ''));
      for (const header of ['host', 'if-match', 'x-amz-security-token', 'x-amz-content-sha256']) {
        expect([header, fromLean.headers[header]]).toEqual([header, fromSdk.headers[header]]);
      }
      const scope = (headers: IncomingHttpHeaders) =>
        /Credential=AKIDLEAN\/\d{8}\/eu-west-1\/s3\/aws4_request/.test(headers.authorization ?? '');
      expect([scope(fromSdk.headers), scope(fromLean.headers)]).toEqual([true, true]);

      // and the lean path's signer, given the SDK's request at the SDK's time, signs it exactly
      // as the SDK did
      const endpoint = (await leanS3(s3).endpoint(item.bucket))!;
      const signedNames = /SignedHeaders=([^,]+)/
        .exec(fromSdk.headers.authorization!)![1]
        .split(';');
      const [path, query] = fromSdk.path.split('?');
      const stamp = fromSdk.headers['x-amz-date'] as string;
      const resigned = await endpoint.signer.sign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path,
          query: Object.fromEntries(new URLSearchParams(query)),
          headers: Object.fromEntries(
            signedNames
              .filter((name) => name !== 'x-amz-date' && name !== 'x-amz-security-token')
              .map((name) => [name, String(fromSdk.headers[name])]),
          ),
        },
        {
          signingDate: new Date(
            stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
          ),
        },
      );
      expect(resigned.headers.authorization).toBe(fromSdk.headers.authorization);
    } finally {
      await server.close();
    }
  });

  it('asks for the version the manifest names by versionId, with If-Match on its etag', async () => {
    // given an item with a version
    const server = await scriptedServer([ok('v')]);
    try {
      // when it is read
      await downloadObject(s3Client(server.endpoint), { ...item, versionId: 'v/1+2' }, 1024);

      // then the versionId is in the query, encoded, and the etag condition is sent too
      expect(server.seen[0].path).toBe('/inputs/in/a%20b.png?versionId=v%2F1%2B2');
      expect(server.seen[0].headers['if-match']).toBe(`"${item.etag.replace(/"/g, '')}"`);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['SlowDown', s3Error(503, 'SlowDown', 'Please reduce your request rate.')],
    ['a 500', s3Error(500, 'InternalError', 'We encountered an internal error.')],
    ['a reset connection', 'reset' as const],
  ])('sends the GET again after %s, with backoff', async (_, failure) => {
    // given a server that fails once, then answers
    // when read
    const read = await readThrough([failure, ok('after')]);

    // then the second attempt's body is returned
    expect(read).toMatchObject({ failure: undefined, text: 'after' });
    expect(read.seen).toHaveLength(2);
  });

  it('gives up after the client maxAttempts, naming the last S3 error', async () => {
    // given a server that always answers 503 SlowDown
    const read = await readThrough([s3Error(503, 'SlowDown', 'Please reduce your request rate.')]);

    // then three attempts were made (the SDK default), and the failure names the error
    expect(read.seen).toHaveLength(3);
    expect(read.failure).toEqual({
      code: 'DOWNLOAD_FAILED',
      reason: 's3://inputs/in/a b.png: SlowDown: Please reduce your request rate.',
    });
  });

  it('re-sends a GET stalled past its first-byte timeout at once', async () => {
    // given a server whose first answer never comes
    const read = await readThrough(['stall', ok('late')], [200]);

    // then the retry's body is returned
    expect(read).toMatchObject({ failure: undefined, text: 'late' });
    expect(read.seen).toHaveLength(2);
  });

  it.each([
    [
      'a changed etag (412)',
      s3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      ),
      's3://inputs/in/a b.png changed since the manifest was written (etag "e1" no longer matches)',
    ],
    [
      'a missing key (404)',
      s3Error(404, 'NoSuchKey', 'The specified key does not exist.'),
      's3://inputs/in/a b.png: NoSuchKey: The specified key does not exist.',
    ],
    [
      'a refusal (403), which may hide a missing key and is not called one',
      s3Error(403, 'AccessDenied', 'Access Denied'),
      's3://inputs/in/a b.png: AccessDenied: Access Denied',
    ],
    [
      'a 412 without a body',
      { status: 412, body: '' },
      's3://inputs/in/a b.png changed since the manifest was written (etag "e1" no longer matches)',
    ],
    [
      'an error entity in the message',
      s3Error(400, 'InvalidArgument', 'a &amp; b &lt;c&gt;'),
      's3://inputs/in/a b.png: InvalidArgument: a & b <c>',
    ],
  ])('fails at once on %s, with the same reason as the SDK path', async (_, answer, reason) => {
    // when the only answer is the error
    const read = await readThrough([answer, ok('never')]);

    // then one request was made and the record fails with that reason
    expect(read.seen).toHaveLength(1);
    expect(read.failure).toEqual({ code: 'DOWNLOAD_FAILED', reason });
  });

  it('gives the same reason as the SDK path for a missing key and a changed etag', async () => {
    // given both paths over one scripted server
    const answers = [
      s3Error(404, 'NoSuchKey', 'The specified key does not exist.'),
      s3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      ),
    ];
    for (const answer of answers) {
      const lean = await readThrough([answer]);
      const server = await scriptedServer([answer]);
      try {
        const sdk = await openObject(getObjectsWithSdk(s3Client(server.endpoint)), item, [60_000]);
        // then the failures are equal
        expect(lean.failure).toEqual(sdk.failure);
      } finally {
        await server.close();
      }
    }
  });
});

describeOnEmulator([], 'the lean signed GET on the Go S3 server', () => {
  let server: RunningS3Server;
  let s3: S3Client;
  beforeAll(async () => {
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
    server = await startS3Server();
    s3 = s3Client(server.endpoint);
  });
  afterAll(() => server.stop());

  it('reads objects, keys needing encoding among them, and names a missing one', async () => {
    // given objects whose keys need encoding in a path
    const bucket = await createBucket(s3);
    const keys = ['in/plain.png', "in/space and (parens)!'*.png", 'in/ünï/ሴ.png'];
    const items = await uploadInputs(
      s3,
      bucket,
      keys.map((key) => ({ key, body: `body of ${key}` })),
    );

    // when each is read, and one that is not there
    const read = await Promise.all(items.map((each) => downloadObject(s3, each, 1024)));
    const missing = await downloadObject(s3, { ...items[0], key: 'in/none.png' }, 1024);

    // then each body is its own, and the missing one says so
    expect(read.map((each) => Buffer.from(each.bytes!).toString())).toEqual(
      keys.map((key) => `body of ${key}`),
    );
    expect(missing.failure?.reason).toMatch(new RegExp(`^s3://${bucket}/in/none.png: NoSuchKey`));
  });

  it('reads the same object through the SDK path and the lean path alike', async () => {
    const bucket = await createBucket(s3);
    const [uploaded] = await uploadInputs(s3, bucket, [{ key: 'k', body: 'same' }]);
    const viaSdk = await downloadObject(getObjectsWithSdk(s3Client(server.endpoint)), uploaded, 64);
    const viaLean = await downloadObject(s3, uploaded, 64);
    expect([viaSdk.bytes, viaLean.bytes].map((bytes) => Buffer.from(bytes!).toString())).toEqual([
      'same',
      'same',
    ]);
  });
});
