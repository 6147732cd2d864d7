import {
  LatencyProfileError,
  NO_LATENCY,
  parseLatencyProfile,
  S3_SMALL_GET_PROFILE,
} from '../../../scripts/bench/io/latency-profile';

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
