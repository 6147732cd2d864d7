import { Sha256 } from '@smithy/core/checksum';
import { encodeKey, sigV4Signer } from '../../../container/src/infer/input/lean-s3';
import {
  SUITE_CASES,
  SUITE_CREDENTIALS,
  SUITE_DATE,
  SUITE_REGION,
  SUITE_SERVICE,
} from '../../helpers/sigv4-test-suite';

describe('the lean GET signer against the SigV4 test suite', () => {
  it.each(SUITE_CASES.map((suiteCase) => [suiteCase.name, suiteCase] as const))(
    '%s: signs as the published vector',
    async (_, suiteCase) => {
      // given the signer the lean GET uses, with the suite's credentials (and token, if any)
      const signer = sigV4Signer(
        SUITE_SERVICE,
        SUITE_REGION,
        { ...SUITE_CREDENTIALS, sessionToken: suiteCase.sessionToken },
        Sha256,
      );

      // when the suite's request is signed at the suite's time
      const signed = await signer.sign(
        {
          method: suiteCase.method,
          protocol: 'https:',
          hostname: 'example.amazonaws.com',
          path: suiteCase.path,
          query: { ...suiteCase.query },
          headers: { ...suiteCase.headers },
        },
        { signingDate: SUITE_DATE },
      );

      // then the Authorization header is the published one, and a token is sent
      expect(signed.headers.authorization).toBe(suiteCase.authorization);
      expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
      expect(signed.headers['x-amz-security-token']).toBe(suiteCase.sessionToken);
    },
  );

  it("encodes a key as the suite's get-utf8 path and S3's reserved characters as the SDK does", () => {
    expect(encodeKey('ሴ')).toBe('%E1%88%B4');
    expect(encodeKey("a b/c!'(x)*.png")).toBe('a%20b/c%21%27%28x%29%2A.png');
  });
});
