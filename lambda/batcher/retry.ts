export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff with full jitter (the AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestLimitExceeded',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Throttling and server-side (5xx) failures are worth another attempt; a client error (bad
 * parameters, missing queue) is not. Errors without an HTTP status are network failures.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as
    { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e?.name && THROTTLING_NAMES.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined) return NETWORK_CODES.has(e?.code ?? '') || e?.name === 'TimeoutError';
  return status === 429 || status >= 500;
}
