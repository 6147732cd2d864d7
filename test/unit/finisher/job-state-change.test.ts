import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import { jobEndEvent, STOPPED_AT } from '../../helpers/finisher-fixtures';

const BATCH = '20261202T100000Z-0a1b2c3d4e';

describe('parseJobStateChange', () => {
  it("reads an array parent's end: id, status, times and manifest", () => {
    // given a SUCCEEDED parent
    const event = jobEndEvent(BATCH);

    // when parsed
    const job = parseJobStateChange(event);

    // then the finisher has what it needs
    expect(job).toMatchObject({
      jobId: event.detail.jobId,
      jobName: `gbi-infer-${BATCH}`,
      status: 'SUCCEEDED',
      stoppedAt: STOPPED_AT,
      manifestUrl: `s3://gbi-results/manifests/${BATCH}/manifest.json`,
    });
  });

  it('accepts a plain job of one shard, which has no arrayProperties', () => {
    const event = jobEndEvent(BATCH, { array: undefined });
    expect(event.detail.arrayProperties).toBeUndefined();
    expect(parseJobStateChange(event).status).toBe('SUCCEEDED');
  });

  it("takes the event's time as the end when the job recorded no stop time", () => {
    const event = jobEndEvent(BATCH, { status: 'FAILED', stoppedAt: undefined });
    expect(parseJobStateChange(event).stoppedAt).toBe(Date.parse(event.time));
  });

  it('refuses an array child, naming the index', () => {
    const event = jobEndEvent(BATCH, { jobId: 'abc:1', array: undefined, arrayIndex: 1 });
    expect(() => parseJobStateChange(event)).toThrow(
      "detail.arrayProperties.index: 1 is an array child; only the parent's end finishes a batch",
    );
    expect(() => parseJobStateChange(event)).toThrow(
      expect.objectContaining({ name: 'NotOurJobError' }),
    );
  });

  it('refuses a job that has not ended, naming the status', () => {
    expect(() => parseJobStateChange(jobEndEvent(BATCH, { status: 'RUNNING' }))).toThrow(
      "detail.status: expected SUCCEEDED or FAILED, got 'RUNNING'",
    );
  });

  it('refuses a job without a manifest parameter as not an inference job of this pipeline', () => {
    expect(() =>
      parseJobStateChange(
        jobEndEvent(BATCH, { jobName: 'retrain', parameters: { model: 'digits' } }),
      ),
    ).toThrow(
      'detail.parameters.manifest: expected the s3:// URL of a batch manifest, got undefined; is job retrain an inference job of this pipeline?',
    );
  });

  it('refuses an event of another source or type', () => {
    const event = { ...jobEndEvent(BATCH), source: 'gbi.batch-inference' };
    expect(() => parseJobStateChange(event)).toThrow(
      "event: expected source 'aws.batch' and detail-type 'Batch Job State Change', got 'gbi.batch-inference' / 'Batch Job State Change'",
    );
    expect(() => parseJobStateChange(null)).toThrow('event: expected an EventBridge event object');
  });
});
