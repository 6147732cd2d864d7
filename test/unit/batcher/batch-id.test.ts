import { inferJobName } from '../../../lib/contracts/job-contract';
import { newBatchId } from '../../../lambda/batcher/batch-id';

describe('newBatchId', () => {
  it('starts with the UTC time so ids sort by creation', () => {
    // given two instants a second apart
    const earlier = newBatchId(Date.UTC(2026, 10, 26, 9, 59, 59), Buffer.from('ffffffffff', 'hex'));
    const later = newBatchId(Date.UTC(2026, 10, 26, 10, 0, 0), Buffer.from('0000000000', 'hex'));

    // when ids are made
    // then they read as time then randomness, and sort by time
    expect(earlier).toBe('20261126T095959Z-ffffffffff');
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });

  it('is a valid AWS Batch job name unchanged', () => {
    // given a new id
    const id = newBatchId(Date.now());

    // when it becomes a job name
    // then nothing had to be replaced
    expect(inferJobName(id)).toBe(`gbi-infer-${id}`);
  });
});
