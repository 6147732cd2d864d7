import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  ChecksumConstructor,
  HashConstructor,
  HttpRequest,
  Provider,
} from '@smithy/types';
import { Agent } from 'undici';

/** SHA-256 of the empty body a GET sends, which S3 wants in x-amz-content-sha256. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Where the GETs of one bucket go, as the SDK's endpoint rules resolve it. */
export interface BucketEndpoint {
  /** scheme://host[:port], the undici origin. */
  readonly origin: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  /** The Host header: host[:port]. */
  readonly host: string;
  /** Path before the key: '' on a virtual-hosted endpoint, '/bucket' path-style. */
  readonly prefix: string;
  readonly signer: SignatureV4;
}

/** One GET of an object, ready to sign: what the SDK's GetObject would send, minus its extras. */
export interface GetRequest {
  readonly origin: string;
  /** The signed request: method, host, path, query and headers. */
  readonly request: HttpRequest;
}

/**
 * The parts of an S3Client a lean GET borrows: its resolved configuration (credential provider
 * chain, region, endpoint, addressing style, sha256, clock offset, retry attempts), so a GET
 * goes where the SDK's would, signed as the SDK's would be, with the same refreshed role
 * credentials; and one keep-alive connection pool of its own.
 */
export interface LeanS3 {
  readonly s3: S3Client;
  readonly agent: Agent;
  /** Most attempts at one GET (the client's maxAttempts, AWS_MAX_ATTEMPTS), read once. */
  maxAttempts(): Promise<number>;
  /** The bucket's endpoint, or undefined when it needs a signer other than SigV4 (S3 Express, MRAP). */
  endpoint(bucket: string): Promise<BucketEndpoint | undefined>;
}

/**
 * Encodes a key as the SDK puts it in a path: each segment with encodeURIComponent plus
 * !'()*, the slashes kept.
 */
export const encodeKey = (key: string): string =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

/** A GET request for `key` in `bucket` at `endpoint`, with the given extra headers and query. */
export function getRequest(
  endpoint: BucketEndpoint,
  key: string,
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>>,
): GetRequest {
  return {
    origin: endpoint.origin,
    request: {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: `${endpoint.prefix}/${encodeKey(key)}`,
      query: { ...query },
      headers: { host: endpoint.host, 'x-amz-content-sha256': EMPTY_SHA256, ...headers },
    },
  };
}

/** The path and query undici sends for a signed request. */
export function requestPath(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? request.path : `${request.path}?${query}`;
}

/**
 * The SDK's SigV4 signer as S3 wants it: the path signed as sent (already encoded once, as the
 * SDK's S3 signer does) and the payload hash taken from the x-amz-content-sha256 header the
 * request carries (an empty body's, for a GET), not computed again per request.
 */
export const sigV4Signer = (
  service: string,
  region: string | Provider<string>,
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
  sha256: ChecksumConstructor | HashConstructor,
): SignatureV4 =>
  new SignatureV4({
    service,
    region,
    credentials,
    sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });

/**
 * A LeanS3 over `s3`'s configuration. The bucket's endpoint is resolved once, by the SDK's own
 * endpoint rules for GetObject (so AWS_ENDPOINT_URL, forcePathStyle, FIPS, dual-stack and
 * bucket names that cannot be host names resolve as they do for the SDK: virtual-hosted on AWS,
 * path-style on the emulators).
 */
export function leanS3(s3: S3Client): LeanS3 {
  const config = s3.config;
  // Every GET in flight needs its own connection (the caller bounds how many): no cap.
  const agent = new Agent({ connections: null, pipelining: 1 });
  const endpoints = new Map<string, Promise<BucketEndpoint | undefined>>();
  const resolve = async (bucket: string): Promise<BucketEndpoint | undefined> => {
    const resolved = await getEndpointFromInstructions(
      { Bucket: bucket, Key: '' },
      GetObjectCommand as unknown as Parameters<typeof getEndpointFromInstructions>[1],
      config as unknown as Parameters<typeof getEndpointFromInstructions>[2],
    );
    const schemes = (resolved.properties?.authSchemes ?? []) as readonly {
      name?: string;
      signingRegion?: string;
      signingName?: string;
    }[];
    const scheme = schemes[0];
    if (scheme !== undefined && scheme.name !== 'sigv4') return undefined;
    const url = resolved.url;
    return {
      origin: `${url.protocol}//${url.host}`,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      host: url.host,
      prefix: url.pathname.replace(/\/$/, ''),
      signer: sigV4Signer(
        scheme?.signingName ?? 's3',
        scheme?.signingRegion ?? config.region,
        config.credentials,
        config.sha256,
      ),
    };
  };
  let maxAttempts: Promise<number> | undefined;
  return {
    s3,
    agent,
    maxAttempts: () => (maxAttempts ??= config.maxAttempts()),
    endpoint: (bucket) => {
      let found = endpoints.get(bucket);
      if (found === undefined) {
        found = resolve(bucket);
        // A failed resolution is not kept: the next GET of the bucket tries again.
        found.catch(() => endpoints.delete(bucket));
        endpoints.set(bucket, found);
      }
      return found;
    },
  };
}

/** Signs `get` at `date` (the SDK's clock, corrected by the client's clock-skew offset). */
export async function signGet(
  lean: LeanS3,
  endpoint: BucketEndpoint,
  get: GetRequest,
  date = new Date(Date.now() + (lean.s3.config.systemClockOffset ?? 0)),
): Promise<HttpRequest> {
  return endpoint.signer.sign(get.request, { signingDate: date });
}
