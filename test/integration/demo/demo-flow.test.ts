import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoReport } from '../../../scripts/demo/demo-report';
import { runDemo } from '../../../scripts/demo/run-demo';
import { contractViolations } from '../../helpers/contract-schemas';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { STACK_SERVICES } from '../../helpers/stack-services';

// The whole demo at a smaller size: deploy, retrain job, uploads, batcher, array job, results.
jest.setTimeout(900_000);

let report: DemoReport;

describeOnEmulator(STACK_SERVICES, 'the demo at a smaller size', () => {
  beforeAll(async () => {
    report = await runDemo({
      size: { images: 60, trainPerDigit: 40, epochs: 2, shardSize: 25, minAccuracy: 0.4 },
      workDirectory: mkdtempSync(join(tmpdir(), 'gbi-demo-')),
      progress: () => undefined,
    });
  });

  test('the demo run reports no problem', () => {
    // Given the demo ran at a small size (beforeAll)
    // Then every expectation held
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  test('the retrain job registered a champion before inference', () => {
    // Given the demo run
    // Then the train job succeeded and left a champion version
    expect(report.facts.training.status).toBe('SUCCEEDED');
    expect(report.facts.training.version).toMatch(/^v\d{8}T/);
  });

  test('every held-out digit was scored from the real uploads', () => {
    // Given 60 digits and 5 corrupt files uploaded
    // Then all 65 files went through a batch and the 60 digits have results
    expect(report.files).toBe(65);
    expect(report.scored).toBe(60);
    expect(report.accuracy.labelled).toBe(60);
  });

  test('the batch ran as an array job with one child per shard', () => {
    // Given 65 files in shards of 25
    // Then one batch of 3 shards ran, and its job succeeded
    expect(report.batches).toBe(1);
    expect(report.shards).toBe(3);
    expect(report.facts.batches[0].jobStatus).toBe('SUCCEEDED');
  });

  test('the finisher wrote the batch summary once and the demo received its completion event', () => {
    // Given the one batch of the run
    const [batch] = report.facts.batches;
    const summary = batch.batchSummary!;
    const event = batch.completion!;
    // Then batch.json and the event's detail conform to their contracts
    expect(contractViolations('batch-summary', summary)).toEqual([]);
    expect(contractViolations('completion-event', event.detail)).toEqual([]);
    // and they agree with each other and with what the shards wrote
    expect(event).toMatchObject({
      source: 'gbi.batch-inference',
      'detail-type': 'Batch Completed',
    });
    expect(event.detail.eventId).toBe(`${summary.batchId}:SUCCEEDED`);
    expect(event.detail.counts).toEqual(summary.counts);
    expect(summary.counts).toEqual({
      files: 65,
      shards: 3,
      shardsSucceeded: 3,
      shardsFailed: 0,
      ok: 60,
      failed: 5,
      skipped: 0,
    });
    expect(summary.model).toEqual({ name: 'digits', version: report.facts.training.version });
    expect(Object.values(summary.errorsByCode).reduce((a, b) => a + b, 0)).toBe(5);
  });

  test('each corrupt file is in the error stream with its code and a reason', () => {
    // Given the corrupt uploads and the code each must get
    const expected = report.facts.uploads.corrupt;
    // Then each is reported once, with that code and a non-empty reason
    const reported = Object.fromEntries(report.errors.map((e) => [e.key, e.code]));
    expect(reported).toEqual(expected);
    expect(report.errors.every((e) => e.reason.length > 0)).toBe(true);
  });

  test('accuracy against the true labels beats chance by far', () => {
    // Given ten classes (chance is 10%)
    // Then the trained model's top-1 accuracy on held-out digits is well above it
    expect(report.accuracy.accuracy).toBeGreaterThan(0.4);
  });
});
