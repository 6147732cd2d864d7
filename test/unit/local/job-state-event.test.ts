import { parseJobStateChange } from '../../../lambda/finisher/job-state-change';
import type { JobRecord } from '../../../scripts/local/executor/executor-state';
import { jobStateChangeOf } from '../../../scripts/local/executor/job-state-event';

const QUEUE = 'arn:aws:batch:eu-west-1:111122223333:job-queue/gbi-jobs';
const NOW = new Date('2026-12-02T10:05:00.250Z');

function arrayJob(children: JobRecord['children']): JobRecord {
  return {
    jobId: 'p-1',
    jobName: 'gbi-infer-b1',
    jobDefinition: 'arn:aws:batch:eu-west-1:111122223333:job-definition/gbi-infer:1',
    jobQueue: QUEUE,
    parameters: { manifest: 's3://res/manifests/b1/manifest.json' },
    createdAt: Date.parse('2026-12-02T10:00:00.000Z'),
    command: ['infer'],
    environment: {},
    arraySize: children.length,
    discoveredAt: '2026-12-02T10:00:01.000Z',
    status: 'FAILED',
    startedAt: '2026-12-02T10:00:02.000Z',
    stoppedAt: '2026-12-02T10:05:00.000Z',
    reason: '1 of 2 processes failed: 1: exit code 1',
    children,
  };
}

const CHILDREN: JobRecord['children'] = [
  {
    index: 0,
    status: 'SUCCEEDED',
    startedAt: '2026-12-02T10:00:02.000Z',
    stoppedAt: '2026-12-02T10:03:00.000Z',
  },
  {
    index: 1,
    status: 'FAILED',
    reason: 'exit code 1',
    startedAt: '2026-12-02T10:00:03.000Z',
    stoppedAt: '2026-12-02T10:05:00.000Z',
  },
];

describe('jobStateChangeOf', () => {
  it("is AWS Batch's event for an array parent: envelope from the queue ARN, size and summary", () => {
    // given an array job whose children ended
    const event = jobStateChangeOf(arrayJob(CHILDREN), undefined, NOW)!;

    // then it is shaped as AWS Batch puts it on the default bus
    expect(event).toMatchObject({
      version: '0',
      source: 'aws.batch',
      'detail-type': 'Batch Job State Change',
      account: '111122223333',
      region: 'eu-west-1',
      time: '2026-12-02T10:05:00Z',
      resources: ['arn:aws:batch:eu-west-1:111122223333:job/p-1'],
    });
    expect(event.detail).toEqual({
      jobArn: 'arn:aws:batch:eu-west-1:111122223333:job/p-1',
      jobName: 'gbi-infer-b1',
      jobId: 'p-1',
      jobQueue: QUEUE,
      status: 'FAILED',
      statusReason: '1 of 2 processes failed: 1: exit code 1',
      createdAt: Date.parse('2026-12-02T10:00:00.000Z'),
      startedAt: Date.parse('2026-12-02T10:00:02.000Z'),
      stoppedAt: Date.parse('2026-12-02T10:05:00.000Z'),
      jobDefinition: 'arn:aws:batch:eu-west-1:111122223333:job-definition/gbi-infer:1',
      parameters: { manifest: 's3://res/manifests/b1/manifest.json' },
      arrayProperties: {
        size: 2,
        statusSummary: {
          STARTING: 0,
          FAILED: 1,
          RUNNING: 0,
          SUCCEEDED: 1,
          RUNNABLE: 0,
          SUBMITTED: 0,
          PENDING: 0,
        },
      },
    });
    // and the finisher reads it as the end of the batch's job
    expect(parseJobStateChange(event)).toMatchObject({ jobId: 'p-1', status: 'FAILED' });
  });

  it("is a child's event with its index and <parent>:<index> id, which the finisher refuses", () => {
    const event = jobStateChangeOf(arrayJob(CHILDREN), CHILDREN[1], NOW)!;
    expect(event.detail).toMatchObject({
      jobId: 'p-1:1',
      status: 'FAILED',
      statusReason: 'exit code 1',
      arrayProperties: { index: 1 },
    });
    expect(() => parseJobStateChange(event)).toThrow('is an array child');
  });

  it('has no arrayProperties for a plain job', () => {
    const plain = {
      ...arrayJob([{ status: 'SUCCEEDED' }]),
      arraySize: undefined,
      status: 'SUCCEEDED' as const,
      reason: undefined,
    };
    const event = jobStateChangeOf(plain, undefined, NOW)!;
    expect(event.detail.arrayProperties).toBeUndefined();
    expect(event.detail.statusReason).toBeUndefined();
  });

  it('raises nothing for a record without its job queue (made by an older executor)', () => {
    const { jobQueue: _q, ...old } = arrayJob(CHILDREN);
    void _q;
    expect(jobStateChangeOf(old, undefined, NOW)).toBeUndefined();
  });
});
