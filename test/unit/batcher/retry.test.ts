import { backoffMs, isRetryable } from '../../../lambda/batcher/retry';

const sdkError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(name), {
    name,
    ...(httpStatusCode ? { $metadata: { httpStatusCode } } : {}),
  });

describe('isRetryable', () => {
  it.each([
    ['throttling by name', sdkError('TooManyRequestsException', 400)],
    ['HTTP 429', sdkError('Whatever', 429)],
    ['HTTP 500', sdkError('ServerException', 500)],
    ['HTTP 503', sdkError('ServiceUnavailable', 503)],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('retries %s', (_, error) => {
    // given a transient failure
    // when classified
    // then it is retried
    expect(isRetryable(error)).toBe(true);
  });

  it.each([
    ['a client error', sdkError('ClientException', 400)],
    ['an error without HTTP status or network code', new Error('bug')],
  ])('does not retry %s', (_, error) => {
    // given a permanent failure
    // when classified
    // then it is not retried
    expect(isRetryable(error)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('grows exponentially up to the cap, scaled by jitter', () => {
    // given the largest jitter
    const top = () => 0.999999;

    // when attempts 0, 3 and 10 back off from 100 ms with a 2 s cap
    // then the ceilings are 100, 800 and 2,000 ms
    expect([0, 3, 10].map((attempt) => backoffMs(attempt, 100, 2_000, top))).toEqual([
      99, 799, 1999,
    ]);
  });
});
