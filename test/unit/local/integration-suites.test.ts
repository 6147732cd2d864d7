import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const INTEGRATION = join(ROOT, 'test', 'integration');

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('integration suites', () => {
  it('each declare the emulator services they need, with nothing registered outside that', () => {
    // given every integration test file
    const undeclared = testFiles(INTEGRATION)
      .map((path) => ({ file: relative(ROOT, path), source: readFileSync(path, 'utf8') }))
      // then each registers its tests and hooks only inside describeOnEmulator, so an emulator
      // lacking a service skips the whole file with the reason instead of failing it
      .filter(
        ({ source }) =>
          !/describe(Each)?OnEmulator\(/.test(source) ||
          /^(describe|it|test|beforeAll|beforeEach|afterAll|afterEach)\b/m.test(source),
      )
      .map(({ file }) => file);
    expect(undeclared).toEqual([]);
  });
});
