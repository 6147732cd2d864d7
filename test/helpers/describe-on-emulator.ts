import {
  AwsService,
  capabilitiesFromEnv,
  missingServices,
} from '../../scripts/local/emulator/emulator-capabilities';
import {
  MissingKeyAnswer,
  MissingKeyProxy,
  startMissingKeyProxy,
} from '../../scripts/local/emulator/missing-key-proxy';
import { skippedTitle } from '../../scripts/local/emulator/suite-report';

export interface EmulatorSuiteOptions {
  /**
   * `access-denied` runs the suite through the missing-key proxy: S3 answers a GET or HEAD of a
   * missing key with 403 AccessDenied, as AWS does for a caller without s3:ListBucket. Every
   * client the suite (or a process it starts) creates after its first beforeAll sees it.
   * `not-found` is the emulator as it is (404 NoSuchKey), unless GBI_TEST_MISSING_KEYS puts the
   * whole run behind the proxy.
   * @default 'not-found'
   */
  readonly missingKeys?: MissingKeyAnswer;
}

/** Both answers, for a suite that runs once under each. */
export const MISSING_KEY_ANSWERS: readonly MissingKeyAnswer[] = ['not-found', 'access-denied'];

/** Points AWS_ENDPOINT_URL at a missing-key proxy for the suite, and back afterwards. */
function denyMissingKeys(): void {
  let proxy: MissingKeyProxy | undefined;
  let upstream: string | undefined;
  beforeAll(async () => {
    upstream = process.env.AWS_ENDPOINT_URL;
    if (!upstream) throw new Error('missingKeys: no AWS_ENDPOINT_URL to put the proxy in front of');
    proxy = await startMissingKeyProxy(upstream);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  });
  afterAll(async () => {
    if (upstream) process.env.AWS_ENDPOINT_URL = upstream;
    await proxy?.close();
  });
}

/**
 * `describe` for a suite that needs these services of the emulator (read by the integration
 * project's global setup). On an emulator lacking one, the suite is registered skipped with the
 * missing services in its title and the reason is printed, so it counts as skipped, never as
 * failed and never as passed. The only place allowed to skip tests (eslint.config.mjs).
 */
export function describeOnEmulator(
  needs: readonly AwsService[],
  title: string,
  body: () => void,
  options: EmulatorSuiteOptions = {},
): void {
  const capabilities = capabilitiesFromEnv();
  const missing = missingServices(needs, capabilities);
  if (missing.length === 0) {
    describe(title, () => {
      if ((options.missingKeys ?? 'not-found') === 'access-denied') denyMissingKeys();
      body();
    });
    return;
  }
  const skipped = skippedTitle(title, capabilities, missing);
  process.stderr.write(`[emulator] ${skipped}\n`);
  describe.skip(skipped, body);
}

/**
 * `describe.each` over string rows (backends, say) for a suite needing these services: one
 * describeOnEmulator per row, its title's `%s` replaced by the row.
 */
export function describeEachOnEmulator<Row extends string>(
  needs: readonly AwsService[],
  rows: readonly Row[],
): (title: string, body: (row: Row) => void) => void {
  return (title, body) => {
    for (const row of rows) describeOnEmulator(needs, title.replace('%s', row), () => body(row));
  };
}
