import {
  JestJson,
  skippedTitle,
  skipReasonOf,
  suiteRows,
  suiteTable,
  suiteTotals,
} from '../../../scripts/local/emulator/suite-report';

const LOCALSTACK = { kind: 'localstack' as const, version: '4.14.0', services: [] };

describe('integration suite report', () => {
  it('reads the missing services back from a skipped suite title', () => {
    // given the title of a suite skipped for lacking batch and dynamodb
    const title = skippedTitle('batcher job submission', LOCALSTACK, ['batch', 'dynamodb']);

    // then the reason is in the title and is read back from it
    expect(title).toBe('batcher job submission [skipped: LocalStack 4.14.0 lacks batch, dynamodb]');
    expect(skipReasonOf(title)).toBe('LocalStack 4.14.0 lacks batch, dynamodb');
    expect(skipReasonOf('batcher job submission')).toBeUndefined();
  });

  it('counts passed, failed and skipped tests per file with the reason of the skips', () => {
    // given jest's results: one file passing, one skipped with a reason, one skip without
    const skipped = skippedTitle('batcher', LOCALSTACK, ['batch']);
    const results: JestJson = {
      testResults: [
        {
          name: '/repo/test/integration/s3.test.ts',
          assertionResults: [
            { ancestorTitles: ['s3'], status: 'passed' },
            { ancestorTitles: ['s3'], status: 'failed' },
          ],
        },
        {
          name: '/repo/test/integration/batcher.test.ts',
          assertionResults: [
            { ancestorTitles: [skipped, 'inner'], status: 'pending' },
            { ancestorTitles: [skipped], status: 'pending' },
          ],
        },
        {
          name: '/repo/test/integration/other.test.ts',
          assertionResults: [{ ancestorTitles: ['other'], status: 'pending' }],
        },
        {
          name: '/repo/test/integration/broken.test.ts',
          message: 'SyntaxError: x\nmore',
          assertionResults: [],
        },
      ],
    };

    // when the rows are built
    const rows = suiteRows(results, '/repo');

    // then each file has its counts, sorted by path, and the totals flag the unexplained skip
    expect(rows).toEqual([
      {
        file: 'test/integration/batcher.test.ts',
        passed: 0,
        failed: 0,
        skipped: 2,
        reason: 'LocalStack 4.14.0 lacks batch',
      },
      {
        file: 'test/integration/broken.test.ts',
        passed: 0,
        failed: 0,
        skipped: 0,
        error: 'SyntaxError: x',
      },
      { file: 'test/integration/other.test.ts', passed: 0, failed: 0, skipped: 1 },
      { file: 'test/integration/s3.test.ts', passed: 1, failed: 1, skipped: 0 },
    ]);
    expect(suiteTotals(rows)).toEqual({
      files: 4,
      passed: 1,
      failed: 1,
      skipped: 3,
      skippedWithoutReason: 1,
      filesWithErrors: 1,
    });
    expect(suiteTable(rows)).toContain(
      '| `test/integration/batcher.test.ts` | 0 | 0 | 2 | LocalStack 4.14.0 lacks batch |',
    );
    expect(suiteTable(rows)).toContain('4 files: 1 passed, 1 failed, 3 skipped');
  });
});
