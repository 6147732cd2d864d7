/**
 * Cases of AWS's Signature Version 4 test suite (aws-sig-v4-test-suite, "Signature Version 4
 * test suite" in the AWS General Reference): the GET cases whose canonical path needs no second
 * encoding (S3 signs its path as sent), and post-sts-header-before for a session token. Each
 * path is given as sent, already URI-encoded. All are signed at 20150830T123600Z for service
 * `service` in us-east-1 with the suite's example key.
 */
export const SUITE_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
export const SUITE_REGION = 'us-east-1';
export const SUITE_SERVICE = 'service';
export const SUITE_DATE = new Date('2015-08-30T12:36:00Z');
export interface SuiteCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly sessionToken?: string;
  readonly authorization: string;
}

const CREDENTIAL =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const HOST = { host: 'example.amazonaws.com' };
const UNRESERVED = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const SUITE_CASES: readonly SuiteCase[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    path: '/',
    query: {},
    headers: HOST,
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    path: '/',
    query: { Param2: 'value2', Param1: 'value1' },
    headers: HOST,
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    path: '/',
    query: { [UNRESERVED]: UNRESERVED },
    headers: HOST,
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197`,
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    path: `/${UNRESERVED}`,
    query: {},
    headers: HOST,
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f`,
  },
  {
    name: 'get-utf8',
    method: 'GET',
    path: '/%E1%88%B4',
    query: {},
    headers: HOST,
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85`,
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    path: '/',
    query: {},
    headers: { ...HOST, 'my-header1': 'value1', 'my-header2': '"a   b   c"' },
    authorization: `${CREDENTIAL}, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736`,
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    path: '/',
    query: {},
    headers: HOST,
    sessionToken:
      'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
    authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead`,
  },
];
