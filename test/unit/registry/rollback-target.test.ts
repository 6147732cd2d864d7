import type { PromotionEvent } from '../../../lib/contracts/registry';
import { rollbackTarget } from '../../../container/src/registry/rollback-target';

function event(
  kind: PromotionEvent['event'],
  version: string,
  previousVersion?: string,
): PromotionEvent {
  return {
    schemaVersion: 1,
    name: 'm',
    event: kind,
    version,
    ...(previousVersion ? { previousVersion } : {}),
    at: '2026-01-01T00:00:00.000Z',
    reason: 'test',
  };
}

describe('rollbackTarget', () => {
  it('returns the champion the current one replaced', () => {
    // given v1 then v2 promoted / when v2 is rolled back / then v1
    const history = [event('promote', 'v1'), event('promote', 'v2', 'v1')];
    expect(rollbackTarget(history, 'v2')).toBe('v1');
  });

  it('ignores rejected challengers', () => {
    // given a rejection after v2's promotion / when v2 is rolled back / then still v1
    const history = [
      event('promote', 'v1'),
      event('promote', 'v2', 'v1'),
      event('reject', 'v3', 'v2'),
    ];
    expect(rollbackTarget(history, 'v2')).toBe('v1');
  });

  it('walks back through an earlier rollback', () => {
    // given v3 promoted over v2, rolled back to v2 / when v2 is rolled back / then v3
    const history = [
      event('promote', 'v2', 'v1'),
      event('promote', 'v3', 'v2'),
      event('rollback', 'v2', 'v3'),
    ];
    expect(rollbackTarget(history, 'v2')).toBe('v3');
  });

  it('has no target for the first champion', () => {
    // given only v1 promoted / when v1 is rolled back / then nothing
    expect(rollbackTarget([event('promote', 'v1')], 'v1')).toBeUndefined();
  });
});
