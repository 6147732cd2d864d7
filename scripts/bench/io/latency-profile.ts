import { Random, standardNormal } from './seeded-random';

/**
 * How long S3 takes to send the first byte of a response: a lognormal body given by its median
 * and 99th percentile, plus a fraction of requests that stall.
 */
export interface LatencyProfile {
  /** Median delay of a request that does not stall, in ms; 0 adds no delay at all. */
  readonly medianMs: number;
  /** 99th percentile of the delay of requests that do not stall, in ms; at least the median. */
  readonly p99Ms: number;
  /** Fraction of requests that stall, in 0..1. */
  readonly stallFraction: number;
  /** Delay of a stalled request, in ms. */
  readonly stallMs: number;
}

/**
 * The default, after AWS's S3 performance guidelines: for small requests (under 512 KB) median
 * latencies are in the tens of milliseconds, and a GET that has not answered after 2 s is worth
 * retrying (once after 2 s, again after 4 more). The guidelines give no percentiles and no stall
 * rate, so those are this project's assumptions: a p99 of five times the median, and one request
 * in a thousand stalling for 10 s, long enough that only a retry gets it back.
 */
export const S3_SMALL_GET_PROFILE: LatencyProfile = {
  medianMs: 30,
  p99Ms: 150,
  stallFraction: 0.001,
  stallMs: 10_000,
};

/** No injected delay: the proxy passes requests straight through. */
export const NO_LATENCY: LatencyProfile = { medianMs: 0, p99Ms: 0, stallFraction: 0, stallMs: 0 };

/** z of the standard normal's 99th percentile. */
const Z99 = 2.3263478740408408;

export class LatencyProfileError extends Error {
  override readonly name = 'LatencyProfileError';
}

/** Checks a profile; every problem is named by its field, all in one error. */
export function validateLatencyProfile(profile: LatencyProfile): LatencyProfile {
  const errors: string[] = [];
  for (const field of ['medianMs', 'p99Ms', 'stallMs'] as const) {
    const value = profile[field];
    if (!Number.isFinite(value) || value < 0) {
      errors.push(`${field}: expected a number >= 0, got ${value}`);
    }
  }
  if (profile.p99Ms < profile.medianMs) {
    errors.push(`p99Ms: expected at least medianMs (${profile.medianMs}), got ${profile.p99Ms}`);
  }
  const fraction = profile.stallFraction;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    errors.push(`stallFraction: expected a number in 0..1, got ${fraction}`);
  }
  if (errors.length > 0) throw new LatencyProfileError(errors.join('; '));
  return profile;
}

const FIELDS: Readonly<Record<string, keyof LatencyProfile>> = {
  median: 'medianMs',
  p99: 'p99Ms',
  stall: 'stallFraction',
  'stall-ms': 'stallMs',
};

/**
 * A profile from a command-line spec: `none`, `s3`, or `s3` fields overridden by
 * `median=30,p99=150,stall=0.001,stall-ms=10000` (any subset).
 */
export function parseLatencyProfile(spec: string): LatencyProfile {
  if (spec === 'none') return NO_LATENCY;
  const profile: Record<keyof LatencyProfile, number> = { ...S3_SMALL_GET_PROFILE };
  if (spec === 's3') return profile;
  for (const pair of spec.split(',')) {
    const [name, raw] = pair.split('=', 2);
    const field = FIELDS[name.trim()];
    if (field === undefined || raw === undefined || raw.trim() === '') {
      throw new LatencyProfileError(
        `latency '${pair}': expected none, s3, or ${Object.keys(FIELDS).join('|')}=<number>, comma-separated`,
      );
    }
    profile[field] = Number(raw);
  }
  return validateLatencyProfile(profile);
}

/** Spread of the profile's lognormal body: ln(p99 / median) is 2.326 standard deviations. */
export const lognormalSigma = (profile: LatencyProfile) =>
  profile.medianMs === 0 ? 0 : Math.log(profile.p99Ms / profile.medianMs) / Z99;

export interface LatencyDraw {
  readonly ms: number;
  readonly stalled: boolean;
}

/** A sampler of per-request delays, drawn from `random` (seed it to replay a run). */
export function latencySampler(profile: LatencyProfile, random: Random): () => LatencyDraw {
  validateLatencyProfile(profile);
  const sigma = lognormalSigma(profile);
  return () => {
    if (profile.stallFraction > 0 && random() < profile.stallFraction) {
      return { ms: profile.stallMs, stalled: true };
    }
    const ms =
      profile.medianMs === 0 ? 0 : profile.medianMs * Math.exp(sigma * standardNormal(random));
    return { ms, stalled: false };
  };
}

/** One line naming the profile, as the benchmark docs print it. */
export function describeLatencyProfile(profile: LatencyProfile): string {
  if (profile.medianMs === 0 && profile.stallFraction === 0) return 'no injected latency';
  const body = `lognormal time to first byte, median ${profile.medianMs} ms, p99 ${profile.p99Ms} ms`;
  return profile.stallFraction > 0
    ? `${body}, ${(profile.stallFraction * 100).toPrecision(2)}% of requests stalled ${profile.stallMs / 1000} s`
    : body;
}
