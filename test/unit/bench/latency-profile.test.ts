import {
  LatencyProfileError,
  latencySampler,
  NO_LATENCY,
  parseLatencyProfile,
  S3_SMALL_GET_PROFILE,
} from '../../../scripts/bench/io/latency-profile';
import { seededRandom } from '../../../scripts/bench/io/seeded-random';

const DRAWS = 100_000;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function draws(profile: typeof S3_SMALL_GET_PROFILE, seed: number, count = DRAWS) {
  const draw = latencySampler(profile, seededRandom(seed));
  return Array.from({ length: count }, draw);
}

describe('latencySampler', () => {
  it('draws a lognormal body whose median and p99 are the profile’s, within 3%', () => {
    // given the default profile without its stalls
    const profile = { ...S3_SMALL_GET_PROFILE, stallFraction: 0 };
    // when 100,000 delays are drawn from a seeded sampler
    const sorted = draws(profile, 7)
      .map((d) => d.ms)
      .sort((a, b) => a - b);
    // then the sample's median and 99th percentile are the configured ones
    expect(Math.abs(quantile(sorted, 0.5) / profile.medianMs - 1)).toBeLessThan(0.03);
    expect(Math.abs(quantile(sorted, 0.99) / profile.p99Ms - 1)).toBeLessThan(0.03);
  });

  it('stalls the configured fraction of requests for the stall time, within 10%', () => {
    // given one request in a hundred stalling for 10 s
    const profile = { ...S3_SMALL_GET_PROFILE, stallFraction: 0.01 };
    // when 100,000 delays are drawn
    const stalled = draws(profile, 11).filter((d) => d.stalled);
    // then about 1,000 stalled, each for exactly the stall time
    expect(Math.abs(stalled.length / (DRAWS * 0.01) - 1)).toBeLessThan(0.1);
    expect(new Set(stalled.map((d) => d.ms))).toEqual(new Set([10_000]));
  });

  it('replays the same delays from the same seed, and others from another', () => {
    // given two samplers with one seed and one with another
    const a = draws(S3_SMALL_GET_PROFILE, 3, 50).map((d) => d.ms);
    const b = draws(S3_SMALL_GET_PROFILE, 3, 50).map((d) => d.ms);
    const c = draws(S3_SMALL_GET_PROFILE, 4, 50).map((d) => d.ms);
    // then the first two agree draw for draw and the third does not
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('adds no delay with the no-latency profile', () => {
    // given no latency
    // when delays are drawn
    // then every one is zero and none stalls
    expect(draws(NO_LATENCY, 1, 1000).every((d) => d.ms === 0 && !d.stalled)).toBe(true);
  });

  it('draws a constant delay when median and p99 agree', () => {
    // given median = p99 = 40 ms
    const profile = { medianMs: 40, p99Ms: 40, stallFraction: 0, stallMs: 0 };
    // when delays are drawn
    // then each is 40 ms
    expect(new Set(draws(profile, 1, 100).map((d) => d.ms))).toEqual(new Set([40]));
  });
});

describe('parseLatencyProfile', () => {
  it('reads none, s3, and s3 with fields overridden', () => {
    // given the three kinds of spec
    // when parsed
    // then none is no latency, s3 the default, and overrides replace only their fields
    expect(parseLatencyProfile('none')).toEqual(NO_LATENCY);
    expect(parseLatencyProfile('s3')).toEqual(S3_SMALL_GET_PROFILE);
    expect(parseLatencyProfile('median=20,stall=0')).toEqual({
      ...S3_SMALL_GET_PROFILE,
      medianMs: 20,
      stallFraction: 0,
    });
  });

  it('names every bad field in one error', () => {
    // given a p99 under the median and a stall fraction above 1
    // when parsed
    // then both fields are named
    expect(() => parseLatencyProfile('median=100,p99=50,stall=2')).toThrow(LatencyProfileError);
    expect(() => parseLatencyProfile('median=100,p99=50,stall=2')).toThrow(
      /p99Ms: expected at least medianMs.*stallFraction: expected a number in 0\.\.1/,
    );
  });

  it('refuses an unknown field', () => {
    // given a misspelt field
    // when parsed
    // then the error names it and the fields there are
    expect(() => parseLatencyProfile('mean=30')).toThrow(/latency 'mean=30': expected none, s3/);
  });
});
