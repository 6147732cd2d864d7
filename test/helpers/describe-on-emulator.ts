import {
  AwsService,
  capabilitiesFromEnv,
  missingServices,
} from '../../scripts/local/emulator/emulator-capabilities';
import { skippedTitle } from '../../scripts/local/emulator/suite-report';

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
): void {
  const capabilities = capabilitiesFromEnv();
  const missing = missingServices(needs, capabilities);
  if (missing.length === 0) {
    describe(title, body);
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
