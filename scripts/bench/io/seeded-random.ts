import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Uniform numbers in [0, 1) from a seed: the same seed gives the same sequence, so a benchmark's
 * injected latencies can be replayed exactly.
 */
export function seededRandom(seed: string | number): Random {
  const prng = seedrandom(String(seed));
  return () => prng.double();
}

/** One draw of the standard normal distribution (Box-Muller on two uniform draws). */
export function standardNormal(random: Random): number {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
