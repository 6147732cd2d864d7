import { completionEventId } from '../../../lib/contracts/batch-summary';
import { buildBatchSummary } from '../../../lambda/finisher/build-summary';
import {
  completionEntry,
  completionMessage,
  entryBytes,
  MAX_ENTRY_BYTES,
} from '../../../lambda/finisher/completion-event';
import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import { contractViolations } from '../../helpers/contract-schemas';
import {
  jobEndEvent,
  manifestOf,
  RESULTS_BUCKET,
  shardSummaryOf,
} from '../../helpers/finisher-fixtures';

const BATCH = '20261202T100000Z-0a1b2c3d4e';

function summaryOf(
  files: number,
  shardSize: number,
  finished: number,
  status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED',
) {
  const manifest = manifestOf(BATCH, files, shardSize);
  return buildBatchSummary({
    job: parseJobStateChange(jobEndEvent(BATCH, { status })),
    manifest,
    resultsBucket: RESULTS_BUCKET,
    shardSummaries: new Map(
      Array.from({ length: finished }, (_, shard) => [
        shard,
        shardSummaryOf(BATCH, shard, { ok: shardSize }),
      ]),
    ),
  });
}

describe('completionEntry', () => {
  it('carries the summary facts, the dedupe id and the summary key as "Batch Completed"', () => {
    // given a succeeded batch
    const summary = summaryOf(20, 10, 2);

    // when its event is made
    const entry = completionEntry(summary);

    // then it has the contract's source, type and id, and the summary's facts
    expect(entry.source).toBe('gbi.batch-inference');
    expect(entry.detailType).toBe('Batch Completed');
    expect(entry.detail.eventId).toBe(`${BATCH}:SUCCEEDED`);
    expect(entry.detail.summaryKey).toBe(`summaries/${BATCH}/batch.json`);
    expect(entry.detail).toMatchObject({ counts: summary.counts, shards: summary.shards });
    expect(JSON.parse(entry.detailJson)).toEqual(entry.detail);
    expect(contractViolations('completion-event', entry.detail)).toEqual([]);
  });

  it('is "Batch Failed" for PARTIAL and FAILED batches', () => {
    expect(completionEntry(summaryOf(20, 10, 1, 'FAILED')).detailType).toBe('Batch Failed');
    expect(completionEntry(summaryOf(20, 10, 0, 'FAILED')).detailType).toBe('Batch Failed');
  });

  it('has the same id and detail on every delivery of one batch', () => {
    const summary = summaryOf(20, 10, 1, 'FAILED');
    expect(completionEntry(summary).detailJson).toBe(completionEntry(summary).detailJson);
    expect(completionEntry(summary).detail.eventId).toBe(completionEventId(summary));
  });

  it("leaves out the per-shard lists when they would pass PutEvents' entry size limit", () => {
    // given a batch of 4,000 shards, whose lists alone take over 256 KiB
    const summary = summaryOf(4000, 1, 4000);
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeGreaterThan(MAX_ENTRY_BYTES);

    // when its event is made
    const entry = completionEntry(summary, ['arn:aws:batch:us-east-1:123456789012:job/x']);

    // then the entry fits, without the lists, and still conforms
    expect(
      entryBytes(entry.source, entry.detailType, entry.detailJson, entry.resources),
    ).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    expect(entry.detail.shards).toBeUndefined();
    expect(entry.detail.resultKeys).toBeUndefined();
    expect(entry.detail.counts.shards).toBe(4000);
    expect(contractViolations('completion-event', entry.detail)).toEqual([]);
  });
});

describe('completionMessage', () => {
  it('says in a short subject and a few lines what ended, how, and where the summary is', () => {
    const { subject, text } = completionMessage(summaryOf(20, 10, 1, 'FAILED'));
    expect(subject).toBe(`Batch ${BATCH} PARTIAL: 10 scored, 0 failed`);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(text).toContain('20 files in 2 shards: 1 finished, 1 failed.');
    expect(text).toContain(`Summary: s3://${RESULTS_BUCKET}/summaries/${BATCH}/batch.json`);
  });
});
