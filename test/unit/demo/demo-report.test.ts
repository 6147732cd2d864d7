import type { ErrorRecord, ResultRecord } from '../../../lib/contracts/records';
import type { BatchSummary } from '../../../scripts/cli/summarize-batch';
import { buildDemoReport, DemoFacts, formatDemoReport } from '../../../scripts/demo/demo-report';
import { buildBatchSummary } from '../../../lambda/finisher/build-summary';
import { completionEntry } from '../../../lambda/finisher/completion-event';
import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import type { CompletionEvent } from '../../../scripts/shared/completion-subscription';
import {
  jobEndEvent,
  manifestOf,
  RESULTS_BUCKET,
  shardSummaryOf,
} from '../../helpers/finisher-fixtures';

const source = (key: string) => ({ bucket: 'in', key, etag: 'e', offset: 0 });

function okResult(key: string, label: string): ResultRecord {
  return {
    schemaVersion: 1,
    recordId: key,
    batchId: 'b1',
    shard: 0,
    source: source(key),
    model: { name: 'digits', version: 'v1' },
    predictions: [{ label, score: 1 }],
  };
}

function errorRecord(key: string, code: ErrorRecord['code']): ErrorRecord {
  return {
    schemaVersion: 1,
    recordId: key,
    batchId: 'b1',
    shard: 0,
    source: source(key),
    code,
    reason: 'why',
  };
}

const SUMMARY: BatchSummary = {
  batchId: 'b1',
  model: 'digits@v1',
  files: 3,
  shards: 1,
  shardsDone: 1,
  ok: 2,
  failed: 1,
  skipped: 0,
  errorsByCode: { EMPTY_OBJECT: 1 },
  exampleReasons: {},
  slowestShardMs: 10,
  stageMs: { download: 1, decode: 1, inference: 1, write: 1 },
  unaccounted: 0,
};

/** batch.json of b1 as the finisher writes it, and the event it sends. */
const BATCH_JSON = buildBatchSummary({
  job: parseJobStateChange(jobEndEvent('b1', { array: undefined })),
  manifest: manifestOf('b1', 3, 3),
  resultsBucket: RESULTS_BUCKET,
  shardSummaries: new Map([
    [0, shardSummaryOf('b1', 0, { ok: 2, failed: 1 }, { EMPTY_OBJECT: 1 })],
  ]),
});
const entry = completionEntry(BATCH_JSON, ['arn:aws:batch:us-east-1:123456789012:job/j1']);
const COMPLETION: CompletionEvent = {
  version: '0',
  id: 'e1',
  'detail-type': entry.detailType,
  source: entry.source,
  account: '123456789012',
  time: '2026-12-02T10:03:31Z',
  region: 'us-east-1',
  resources: [...entry.resources],
  detail: entry.detail,
};

function facts(overrides: Partial<DemoFacts> = {}): DemoFacts {
  return {
    uploads: {
      digits: ['in/digits/1/1.png', 'in/digits/2/1.png'],
      corrupt: { 'in/digits/0/broken-empty.png': 'EMPTY_OBJECT' },
    },
    training: { status: 'SUCCEEDED', trainingImages: 10, version: 'v1', validationAccuracy: 0.9 },
    batches: [
      {
        completion: COMPLETION,
        batchSummary: BATCH_JSON,
        summary: SUMMARY,
        jobStatus: 'SUCCEEDED',
        results: [okResult('in/digits/1/1.png', '1'), okResult('in/digits/2/1.png', '2')],
        errors: [errorRecord('in/digits/0/broken-empty.png', 'EMPTY_OBJECT')],
      },
    ],
    deadLetterMessages: 0,
    runtimeErrors: [],
    timings: [['total', 1000]],
    resultsLocation: 's3://results/results/',
    minAccuracy: 0.5,
    ...overrides,
  };
}

test('a run where every file is scored or reported as expected is ok', () => {
  // When the report is built from a healthy run
  const report = buildDemoReport(facts());
  // Then it has no problem and says so
  expect(report.problems).toEqual([]);
  expect(formatDemoReport(report)).toContain('RESULT: OK');
});

test('a corrupt file reported with another code is a problem naming both codes', () => {
  // Given the empty file reported as a decode failure
  const run = facts();
  const batch = {
    ...run.batches[0],
    errors: [errorRecord('in/digits/0/broken-empty.png', 'DECODE_FAILED')],
  };
  // When the report is built
  const report = buildDemoReport({ ...run, batches: [batch] });
  // Then the mismatch is named
  expect(report.problems).toEqual([
    'in/digits/0/broken-empty.png: reported DECODE_FAILED (why), expected EMPTY_OBJECT',
  ]);
});

test('a digit without a result is a problem naming it', () => {
  // Given one digit missing from the results
  const run = facts();
  const batch = { ...run.batches[0], results: [okResult('in/digits/1/1.png', '1')] };
  // When the report is built
  const report = buildDemoReport({ ...run, batches: [batch] });
  // Then the missing digit is named
  expect(report.problems[0]).toContain('1 of 2 digits were not scored (first: in/digits/2/1.png');
});

test('accuracy under the minimum, a failed job and dead letters each fail the run', () => {
  // Given a run that went wrong three ways
  const run = facts({ minAccuracy: 1.5, deadLetterMessages: 2 });
  const batch = { ...run.batches[0], jobStatus: 'FAILED' as const, jobReason: 'exit code 1' };
  // When the report is built
  const report = buildDemoReport({ ...run, batches: [batch] });
  // Then each is a problem and the summary says FAILED
  expect(report.problems).toHaveLength(3);
  expect(formatDemoReport(report)).toContain('RESULT: FAILED');
});

test('a batch without a completion event or batch summary is a problem naming the batch', () => {
  // Given the finisher sent nothing and wrote nothing for b1
  const [batch] = facts().batches;
  const report = buildDemoReport(
    facts({ batches: [{ ...batch, completion: undefined, batchSummary: undefined }] }),
  );
  // Then both are reported
  expect(report.problems).toEqual([
    'batch b1: the finisher wrote no summaries/b1/batch.json',
    "batch b1: no completion event reached the demo's subscription",
  ]);
});

test('a completion event whose id does not match the summary is a problem', () => {
  const [batch] = facts().batches;
  const stale = { ...COMPLETION, detail: { ...COMPLETION.detail, eventId: 'b1:PARTIAL' } };
  expect(buildDemoReport(facts({ batches: [{ ...batch, completion: stale }] })).problems).toEqual([
    "batch b1: completion event b1:PARTIAL does not match the summary's status SUCCEEDED",
  ]);
});

test('the printed summary shows the completion event received and the batch summary', () => {
  const printed = formatDemoReport(buildDemoReport(facts()));
  expect(printed).toContain(
    'completion     Batch Completed from gbi.batch-inference, eventId b1:SUCCEEDED, resources arn:aws:batch:us-east-1:123456789012:job/j1',
  );
  expect(printed).toContain(`batch summary  s3://${RESULTS_BUCKET}/summaries/b1/batch.json`);
  expect(printed).toContain(
    'status       SUCCEEDED: 3 files in 1 shards (1 finished, 0 failed); 2 scored, 1 failed, 0 skipped (EMPTY_OBJECT 1)',
  );
  expect(printed).toMatch(/shard 0 +SUCCEEDED: 2 ok, 1 failed -> results\/b1\/shard-00000\.jsonl/);
});
