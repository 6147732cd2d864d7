import type { ShardSummary } from '../../../lib/contracts/records';
import { batchStatus, buildBatchSummary } from '../../../lambda/finisher/build-summary';
import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import { contractViolations } from '../../helpers/contract-schemas';
import {
  CREATED_AT,
  jobEndEvent,
  manifestOf,
  RESULTS_BUCKET,
  shardSummaryOf,
  STARTED_AT,
  STOPPED_AT,
} from '../../helpers/finisher-fixtures';

const BATCH = '20261202T100000Z-0a1b2c3d4e';

function summaryOf(
  shards: readonly ShardSummary[],
  overrides: Parameters<typeof jobEndEvent>[1] = {},
  files = 25,
) {
  return buildBatchSummary({
    job: parseJobStateChange(jobEndEvent(BATCH, overrides)),
    manifest: manifestOf(BATCH, files, 10),
    resultsBucket: RESULTS_BUCKET,
    shardSummaries: new Map(shards.map((s) => [s.shard, s])),
  });
}

describe('buildBatchSummary', () => {
  it('is SUCCEEDED when every shard wrote its summary, with counts and errors added up', () => {
    // given three shards, all finished, some records failed
    const summary = summaryOf([
      shardSummaryOf(BATCH, 0, { ok: 9, failed: 1 }, { DECODE_FAILED: 1 }),
      shardSummaryOf(BATCH, 1, { ok: 8, failed: 2 }, { DECODE_FAILED: 1, TOO_LARGE: 1 }),
      shardSummaryOf(BATCH, 2, { ok: 5, skipped: 0 }),
    ]);

    // then the batch succeeded and its counts are the sums
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.counts).toEqual({
      files: 25,
      shards: 3,
      shardsSucceeded: 3,
      shardsFailed: 0,
      ok: 22,
      failed: 3,
      skipped: 0,
    });
    expect(summary.errorsByCode).toEqual({ DECODE_FAILED: 2, TOO_LARGE: 1 });
    expect(summary.model).toEqual({ name: 'digits', version: 'v0001' });
    expect(summary.resultKeys).toEqual([
      `results/${BATCH}/shard-00000.jsonl`,
      `results/${BATCH}/shard-00001.jsonl`,
      `results/${BATCH}/shard-00002.jsonl`,
    ]);
    expect(summary.errorKeys[2]).toBe(`errors/${BATCH}/shard-00002.jsonl`);
    expect(contractViolations('batch-summary', summary)).toEqual([]);
  });

  it('takes submit, start and end from the job, and the duration between start and end', () => {
    const summary = summaryOf([shardSummaryOf(BATCH, 0, { ok: 1 })], {}, 1);
    expect(summary).toMatchObject({
      submittedAt: new Date(CREATED_AT).toISOString(),
      startedAt: new Date(STARTED_AT).toISOString(),
      endedAt: new Date(STOPPED_AT).toISOString(),
      durationMs: STOPPED_AT - STARTED_AT,
      job: { name: `gbi-infer-${BATCH}`, status: 'SUCCEEDED' },
      manifestKey: `manifests/${BATCH}/manifest.json`,
      resultsBucket: RESULTS_BUCKET,
    });
  });

  it('is PARTIAL when a shard has no summary, which counts as failed with a reason', () => {
    // given shard 1 of 3 never wrote its summary, and the job failed
    const summary = summaryOf(
      [shardSummaryOf(BATCH, 0, { ok: 10 }), shardSummaryOf(BATCH, 2, { ok: 5 })],
      { status: 'FAILED', statusReason: 'Array Child Job failed' },
    );

    // then the batch is PARTIAL, counting only finished shards' records
    expect(summary.status).toBe('PARTIAL');
    expect(summary.counts).toMatchObject({ shardsSucceeded: 2, shardsFailed: 1, ok: 15 });
    expect(summary.shards[1]).toEqual({
      shard: 1,
      status: 'FAILED',
      reason: 'no shard summary: the shard did not finish (job FAILED: Array Child Job failed)',
      resultKey: `results/${BATCH}/shard-00001.jsonl`,
      errorKey: `errors/${BATCH}/shard-00001.jsonl`,
      summaryKey: `summaries/${BATCH}/shard-00001.json`,
    });
    expect(summary.resultKeys).not.toContain(`results/${BATCH}/shard-00001.jsonl`);
    expect(summary.job.statusReason).toBe('Array Child Job failed');
    expect(contractViolations('batch-summary', summary)).toEqual([]);
  });

  it('is FAILED when no shard wrote a summary, and names no model version', () => {
    const summary = summaryOf([], { status: 'FAILED', startedAt: undefined });
    expect(summary.status).toBe('FAILED');
    expect(summary.model).toEqual({ name: 'digits' });
    expect(summary.resultKeys).toEqual([]);
    // a job that never started ran for no time
    expect(summary.startedAt).toBe(new Date(CREATED_AT).toISOString());
    expect(contractViolations('batch-summary', summary)).toEqual([]);
  });

  it('names no batch model version when shards scored with different ones', () => {
    const summary = summaryOf(
      [
        shardSummaryOf(BATCH, 0, { ok: 10 }, {}, 'v1'),
        shardSummaryOf(BATCH, 1, { ok: 10 }, {}, 'v2'),
      ],
      {},
      20,
    );
    expect(summary.model).toEqual({ name: 'digits' });
    expect(summary.shards.map((s) => s.modelVersion)).toEqual(['v1', 'v2']);
  });

  it('is the same summary for the same input', () => {
    const shards = [shardSummaryOf(BATCH, 0, { ok: 1 })];
    expect(summaryOf(shards, {}, 1)).toEqual(summaryOf(shards, {}, 1));
  });
});

describe('batchStatus', () => {
  it('follows the contract: all, some or none of the shards finished', () => {
    expect([batchStatus(3, 3), batchStatus(3, 1), batchStatus(3, 0)]).toEqual([
      'SUCCEEDED',
      'PARTIAL',
      'FAILED',
    ]);
  });
});
