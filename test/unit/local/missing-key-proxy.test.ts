import {
  isObjectRead,
  missingKeyAnswerFromEnv,
} from '../../../scripts/local/emulator/missing-key-proxy';

const s3Auth = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=testing/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
};

describe('isObjectRead', () => {
  test('a signed S3 GET or HEAD of /bucket/key is an object read', () => {
    expect(isObjectRead('GET', '/b/incoming/a%20b.png?x-id=GetObject', s3Auth)).toBe(true);
    expect(isObjectRead('HEAD', '/b/k', s3Auth)).toBe(true);
  });

  test('a presigned S3 GET is one too', () => {
    const url = '/b/k?X-Amz-Credential=testing%2F20261207%2Fus-east-1%2Fs3%2Faws4_request';
    expect(isObjectRead('GET', url, {})).toBe(true);
  });

  test('bucket-level requests, writes and other services are not', () => {
    expect(isObjectRead('GET', '/b?list-type=2&prefix=k', s3Auth)).toBe(false);
    expect(isObjectRead('GET', '/b/', s3Auth)).toBe(false);
    expect(isObjectRead('PUT', '/b/k', s3Auth)).toBe(false);
    const sqs = { authorization: s3Auth.authorization.replace('/s3/', '/sqs/') };
    expect(isObjectRead('GET', '/b/k', sqs)).toBe(false);
    expect(isObjectRead('GET', '/moto-api/', {})).toBe(false);
  });
});

describe('missingKeyAnswerFromEnv', () => {
  test('reads the two answers and nothing else', () => {
    expect(missingKeyAnswerFromEnv({})).toBeUndefined();
    expect(missingKeyAnswerFromEnv({ GBI_TEST_MISSING_KEYS: 'access-denied' })).toBe(
      'access-denied',
    );
    expect(() => missingKeyAnswerFromEnv({ GBI_TEST_MISSING_KEYS: '403' })).toThrow(
      "GBI_TEST_MISSING_KEYS='403': expected 'not-found' or 'access-denied'",
    );
  });
});
