import { parseShardSummary } from '../../../lambda/finisher/parse-shard-summary';
import { shardSummaryOf } from '../../helpers/finisher-fixtures';

describe('parseShardSummary', () => {
  it('reads a summary of the expected batch and shard', () => {
    const summary = shardSummaryOf('b', 3, { ok: 7 });
    expect(parseShardSummary(JSON.stringify(summary), 'k', { batchId: 'b', shard: 3 })).toEqual(
      summary,
    );
  });

  it('names the key and every field that does not add up', () => {
    const wrong = {
      ...shardSummaryOf('other', 2, { ok: 1 }),
      counts: { ok: -1, failed: 0, skipped: 0 },
    };
    expect(() =>
      parseShardSummary(JSON.stringify(wrong), 'summaries/b/shard-00003.json', {
        batchId: 'b',
        shard: 3,
      }),
    ).toThrow(
      'summaries/b/shard-00003.json: not a shard summary of this batch: batchId: expected b, got other; shard: expected 3, got 2; counts.ok: expected a count, got -1',
    );
  });

  it('names the key of a summary that is not JSON', () => {
    expect(() => parseShardSummary('{', 'k1', { batchId: 'b', shard: 0 })).toThrow(
      expect.objectContaining({
        name: 'ShardSummaryError',
        message: expect.stringMatching(/^k1: not JSON/),
      }),
    );
  });
});
