import { objectVersionId } from '../../../lib/contracts/manifest';
import type { ItemClaim } from '../../../lambda/batcher/buffer-store';
import { describeVersion } from '../../../scripts/cli/commands/find-command';
import { ListedVersion, pairVersions } from '../../../scripts/cli/find-object';

const location = { bucket: 'in', key: 'incoming/a.png' };

function listed(etag: string, versionId?: string): ListedVersion {
  return { etag, size: 3, isLatest: false, ...(versionId ? { versionId } : {}) };
}

function claim(identity: string, batchId: string, claimedAt = 1): ItemClaim {
  return { object: `in/incoming/a.png#${identity}`, batchId, claimedAt };
}

describe('pairVersions', () => {
  test('a listed version is paired with the claim made under its version id', () => {
    // Given a version uploaded live to a versioned bucket
    const rows = pairVersions(location, [listed('e1', 'v1')], [claim('v1', 'b1')]);
    // Then the one row holds both
    expect(rows).toEqual([
      { object: 'in/incoming/a.png#v1', listed: listed('e1', 'v1'), claim: claim('v1', 'b1') },
    ]);
  });

  test('a listed version is paired with a backfill claim, made under its ETag', () => {
    // Given a versioned object that a backfill (no version ids in a listing) claimed
    const rows = pairVersions(location, [listed('e1', 'v1')], [claim('e1', 'b1')]);
    // Then the claim is that version's
    expect(rows.map((row) => [row.listed?.versionId, row.claim?.batchId])).toEqual([['v1', 'b1']]);
  });

  test('a version without a claim is a row of its own, and a claim without a version too', () => {
    // Given the latest upload not yet claimed, and an overwritten one only the buffer remembers
    const rows = pairVersions(location, [listed('e2')], [claim('e1', 'b1')]);
    // Then both are reported, the unclaimed one by its identity
    expect(rows).toEqual([
      { object: objectVersionId({ ...location, etag: 'e2' }), listed: listed('e2') },
      { object: 'in/incoming/a.png#e1', claim: claim('e1', 'b1') },
    ]);
  });

  test('claims only the buffer knows come newest first, like the listing', () => {
    // Given two overwritten versions, claimed in order
    const rows = pairVersions(location, [], [claim('e1', 'b1', 1), claim('e2', 'b2', 2)]);
    // Then the later one is first
    expect(rows.map((row) => row.claim?.batchId)).toEqual(['b2', 'b1']);
  });
});

describe('describeVersion', () => {
  const object = 'in/incoming/a.png#e1';

  test('a closed batch not yet submitted says when and why it closed', () => {
    // When the version is in a closed batch
    const lines = describeVersion({
      object,
      fate: { kind: 'closed', batchId: 'b1', closedAt: 0, closeReason: 'max-files' },
    });
    // Then its batch, close time and reason are named
    expect(lines[1]).toBe(
      '  in batch b1, closed at 1970-01-01T00:00:00.000Z (max-files), its job not submitted yet',
    );
  });

  test('a shard without a summary and without the record says it is not scored yet, naming the job', () => {
    // When the version's shard has not finished
    const lines = describeVersion({
      object,
      fate: {
        kind: 'in-shard',
        batchId: 'b1',
        shard: 2,
        jobId: 'job-1',
        shardFinished: false,
        results: [],
        errors: [],
      },
    });
    // Then it says so
    expect(lines[1]).toBe('  batch b1 shard 2: not scored yet (job job-1)');
  });

  test('a version the bucket no longer lists is named by the identity the buffer has', () => {
    // When only the buffer knows the version
    const lines = describeVersion({ object, fate: { kind: 'not-in-manifest', batchId: 'b1' } });
    // Then the header names its ETag
    expect(lines[0]).toBe('version e1 (no longer in the bucket)');
  });
});
