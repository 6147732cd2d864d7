/**
 * A GET that S3 (or the network) refused, named as the SDK names it: `name` is S3's error code
 * (NoSuchKey, PreconditionFailed, AccessDenied, SlowDown, ...) and `message` S3's message, so a
 * failure reads the same whichever client made the request.
 */
export class S3GetError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** The HTTP status, or undefined when no response came. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Names the SDK gives an error response without an S3 error body (as a HEAD gets). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

const element = (xml: string, name: string): string | undefined => {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1].replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]);
};

/** The error an S3 error response stands for: its XML `<Code>` and `<Message>`, else its status. */
export function s3ErrorOf(status: number, body: string): S3GetError {
  const code = element(body, 'Code') ?? STATUS_NAMES[status] ?? `Http${status}`;
  const message = element(body, 'Message') ?? `HTTP ${status}`;
  return new S3GetError(code, message, status);
}

/** S3's answers that ask the caller to slow down (the SDK's throttling errors). */
const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/**
 * Network errors worth sending again on a new connection: those the SDK's standard retry
 * strategy retries, and undici's names for a connection the other side closed.
 */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export type Retry = 'throttled' | 'transient' | undefined;

/**
 * Whether a failed attempt is worth another, as the SDK's standard retry strategy decides it:
 * throttling (SlowDown, 429), a server error (5xx, RequestTimeout) or a reset connection; every
 * other failure (a missing key, a failed precondition, a refused signature) is final.
 */
export function retryOf(error: unknown): Retry {
  if (error instanceof S3GetError && error.status !== undefined) {
    if (THROTTLING.has(error.name) || error.status === 429) return 'throttled';
    if (error.status >= 500 || error.name === 'RequestTimeout') return 'transient';
    return undefined;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && TRANSIENT_NETWORK.has(code) ? 'transient' : undefined;
}
