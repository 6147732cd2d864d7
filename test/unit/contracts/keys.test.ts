import { isShardSummaryKey, resultKeys } from '../../../lib/contracts/keys';

describe('summary keys', () => {
  it("lists a batch's shard summaries by a prefix that leaves its batch.json out", () => {
    // given the keys under a batch's summaries
    const prefix = resultKeys.shardSummaryPrefix('b1');
    const shard = resultKeys.summary('b1', 7);
    const batch = resultKeys.batchSummary('b1');

    // then the shard summary is under the prefix and the batch summary is not
    expect(shard.startsWith(prefix)).toBe(true);
    expect(batch.startsWith(prefix)).toBe(false);
  });

  it('tells a shard summary from a batch summary across batches', () => {
    expect(isShardSummaryKey(resultKeys.summary('b1', 0))).toBe(true);
    expect(isShardSummaryKey(resultKeys.batchSummary('b1'))).toBe(false);
    expect(isShardSummaryKey('summaries/b1/shard-7.json')).toBe(false);
  });
});
