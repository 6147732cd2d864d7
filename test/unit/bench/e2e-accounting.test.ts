import type { ShardSummary } from '../../../lib/contracts/records';
import {
  accountedExactlyOnce,
  accountFiles,
  BatchTrace,
  runTimeline,
} from '../../../scripts/bench/e2e/e2e-accounting';

const summary = (startedAt: number, finishedAt: number, writeMs: number): ShardSummary => ({
  schemaVersion: 1,
  batchId: 'b1',
  shard: 0,
  model: { name: 'digits', version: 'v1' },
  backend: 'wasm',
  counts: { ok: 2, failed: 0, skipped: 0 },
  errorsByCode: {},
  timings: {
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    totalMs: finishedAt - startedAt,
    downloadMs: 0,
    decodeMs: 0,
    inferenceMs: 0,
    writeMs,
  },
});

describe('accountFiles', () => {
  it('accepts one result or one error per uploaded file', () => {
    // given three uploads, two scored and one failed
    // when they are accounted
    const a = accountFiles(['a', 'b', 'c'], ['a', 'b'], ['c']);
    // then each is there exactly once
    expect(accountedExactlyOnce(a)).toBe(true);
  });

  it('reports an uploaded file with no record as missing', () => {
    // given an upload with no record
    // when accounted
    const a = accountFiles(['a', 'b'], ['a'], []);
    // then it is missing
    expect(a.missing).toEqual(['b']);
    expect(accountedExactlyOnce(a)).toBe(false);
  });

  it('reports a file with both a result and an error as duplicated', () => {
    // given a file in both streams
    // when accounted
    const a = accountFiles(['a'], ['a'], ['a']);
    // then it is duplicated
    expect(a.duplicated).toEqual(['a']);
  });

  it('reports a record for a key never uploaded as unexpected', () => {
    // given a result for an unknown key
    // when accounted
    const a = accountFiles(['a'], ['a', 'z'], []);
    // then it is unexpected
    expect(a.unexpected).toEqual(['z']);
  });
});

describe('runTimeline', () => {
  it('splits a batch into accumulate, submit, job start, inference and write', () => {
    // given uploads at 0 and 100 ms, the batch closed at 1,000, submitted at 1,200, and a shard
    // scoring from 3,000 to 4,000 of which 300 ms were writes
    const shard = summary(3_000, 4_000, 300);
    const batch: BatchTrace = {
      batchId: 'b1',
      firstUploadMs: 0,
      closedMs: 1_000,
      submittedMs: 1_200,
      shards: [shard],
    };
    const uploaded = new Map([
      ['a', 0],
      ['b', 100],
    ]);
    // when the timeline is built
    const t = runTimeline(
      0,
      100,
      uploaded,
      [batch],
      new Map([
        ['a', shard],
        ['b', shard],
      ]),
    );
    // then each phase has its span
    expect(Object.fromEntries(t.phases.map((p) => [p.phase, p.meanMs]))).toEqual({
      accumulate: 1_000,
      submit: 200,
      'job start': 1_800,
      inference: 700,
      write: 300,
    });
    expect(t.totalMs).toBe(4_000);
    expect(t.batchingSpanMs).toBe(1_000);
    expect(t.fileLatencyMs.max).toBe(4_000);
  });
});
