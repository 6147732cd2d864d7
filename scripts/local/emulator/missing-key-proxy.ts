import { randomBytes } from 'node:crypto';
import { Agent, createServer, IncomingHttpHeaders, IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How S3 answers a GET or HEAD of a key that does not exist. AWS answers 404 NoSuchKey only to a
 * caller allowed s3:ListBucket on the bucket, and 403 AccessDenied to anyone else (Amazon S3 API
 * Reference, GetObject, "Permissions"); whether a ListBucket grant limited by an s3:prefix
 * condition counts is not documented. Code that must work under either answer is tested under
 * `access-denied`.
 */
export type MissingKeyAnswer = 'not-found' | 'access-denied';

/** Environment variable that puts a whole integration run behind the proxy (emulator setup). */
export const MISSING_KEYS_ENV = 'GBI_TEST_MISSING_KEYS';

export function missingKeyAnswerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): MissingKeyAnswer | undefined {
  const value = env[MISSING_KEYS_ENV];
  if (value === undefined || value === '') return undefined;
  if (value === 'not-found' || value === 'access-denied') return value;
  throw new Error(`${MISSING_KEYS_ENV}='${value}': expected 'not-found' or 'access-denied'`);
}

/** The signing scope's service of a SigV4 request (header or presigned query), if any. */
function signedService(url: URL, headers: IncomingHttpHeaders): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(headers.authorization ?? '')?.[1] ??
    url.searchParams.get('X-Amz-Credential') ??
    undefined;
  // <access key>/<date>/<region>/<service>/aws4_request
  return credential?.split('/')[3];
}

/**
 * Whether a request reads one object of a path-style S3 URL (/bucket/key, a key non-empty):
 * the requests that S3 answers with AccessDenied instead of NoSuchKey for a caller without
 * s3:ListBucket. Bucket-level requests (listings, /bucket) and other services are not.
 */
export function isObjectRead(method: string, rawUrl: string, headers: IncomingHttpHeaders) {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const url = new URL(rawUrl, 'http://127.0.0.1');
  if (signedService(url, headers) !== 's3') return false;
  const [, bucket, ...key] = url.pathname.split('/');
  return bucket !== undefined && bucket.length > 0 && key.join('/').length > 0;
}

/** S3's AccessDenied error document, as AWS sends it. */
export function accessDeniedBody(requestId: string, hostId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`
  );
}

export interface MissingKeyProxyStats {
  /** Requests passed on to the emulator. */
  readonly requests: number;
  /** Object reads whose NoSuchKey (or HEAD 404) was answered as 403 AccessDenied. */
  readonly denied: number;
}

export interface MissingKeyProxy {
  /** http://127.0.0.1:PORT: use it as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  stats(): MissingKeyProxyStats;
  close(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * An HTTP proxy on a free loopback port in front of an emulator (`upstream`) that answers
 * every read of a missing key as S3 answers a caller without s3:ListBucket: 403 AccessDenied
 * instead of 404 NoSuchKey. Everything else, every other service included, passes unchanged.
 */
export async function startMissingKeyProxy(upstream: string): Promise<MissingKeyProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const counts = { requests: 0, denied: 0 };

  const server = createServer((req, res) => {
    counts.requests++;
    const objectRead = isObjectRead(req.method ?? '', req.url ?? '/', req.headers);
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        if (!objectRead || answer.statusCode !== 404) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        void readAll(answer).then(
          (body) => {
            // A HEAD answer has no body to tell NoSuchKey from NoSuchBucket; every bucket here
            // exists, so a HEAD 404 is a missing key.
            const missingKey = req.method === 'HEAD' || body.includes('<Code>NoSuchKey</Code>');
            if (!missingKey) {
              res.writeHead(404, answer.headers);
              res.end(body);
              return;
            }
            counts.denied++;
            const requestId = randomBytes(8).toString('hex').toUpperCase();
            const hostId = randomBytes(24).toString('base64');
            const denied = Buffer.from(accessDeniedBody(requestId, hostId));
            res.writeHead(403, {
              'content-type': 'application/xml',
              'x-amz-request-id': requestId,
              'x-amz-id-2': hostId,
              ...(req.method === 'HEAD' ? {} : { 'content-length': String(denied.length) }),
            });
            res.end(req.method === 'HEAD' ? undefined : denied);
          },
          (error: Error) => res.destroy(error),
        );
      },
    );
    outgoing.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`missing-key proxy: upstream ${upstream}: ${error.message}`);
    });
    res.on('close', () => outgoing.destroy());
    req.pipe(outgoing);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ ...counts }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
