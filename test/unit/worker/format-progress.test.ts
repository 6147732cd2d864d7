import {
  estimateRemainingMs,
  formatDuration,
  formatProgressBar,
  formatProgressLine,
  ProgressSnapshot,
} from '../../../container/src/infer/progress/format-progress';

const snapshot = (overrides: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  itemsTotal: 1000,
  itemsDone: 250,
  itemsResumed: 0,
  ok: 240,
  failed: 10,
  elapsedMs: 10_000,
  numTensors: 12,
  ...overrides,
});

describe('progress formatting', () => {
  it('formats durations as seconds, minutes or hours', () => {
    // given / when / then
    expect([formatDuration(9_400), formatDuration(63_000), formatDuration(3_720_000)]).toEqual([
      '9s',
      '1m03s',
      '1h02m',
    ]);
  });

  it('estimates the time left from this attempt pace over objects', () => {
    // given 250 of 1000 objects in 10 s
    // when / then 750 objects at 25/s take 30 s
    expect(estimateRemainingMs(snapshot())).toBe(30_000);
  });

  it('leaves resumed objects out of the pace', () => {
    // given 200 objects resumed and 50 done in 10 s
    // when / then 750 objects at 5/s take 150 s
    expect(estimateRemainingMs(snapshot({ itemsResumed: 200 }))).toBe(150_000);
  });

  it('has no estimate before the first object of the attempt', () => {
    // given / when / then
    expect(estimateRemainingMs(snapshot({ itemsDone: 0, ok: 0, failed: 0 }))).toBeUndefined();
  });

  it('writes one plain log line with counts, rate, ETA and tensors', () => {
    // given / when / then
    expect(formatProgressLine(snapshot())).toBe(
      'progress: 250/1000 objects, 250 records (240 ok, 10 failed), 25.0 records/s, ETA 30s, 12 tensors',
    );
  });

  it('draws a bar filled in proportion to the objects done', () => {
    // given / when / then
    expect(formatProgressBar(snapshot(), 8)).toBe(
      '[##------]  25% 250/1000 objects, 10 failed, 25 rec/s, ETA 30s',
    );
  });
});
