/** How long a repeated call takes, after one warm-up call. */
export interface Timing {
  readonly iterations: number;
  readonly secondsPerCall: number;
  /** The quickest single call: the best the code can do when nothing else competes. */
  readonly fastestSecondsPerCall: number;
}

/**
 * Calls `run` once to warm up (kernel compilation, caches), then repeatedly until at least
 * `minSeconds` have passed and `minIterations` calls were made; returns the mean per call.
 */
export async function measure(
  run: () => Promise<unknown>,
  minSeconds: number,
  minIterations = 3,
): Promise<Timing> {
  await run();
  const began = performance.now();
  let iterations = 0;
  let fastest = Infinity;
  while (iterations < minIterations || performance.now() - began < minSeconds * 1000) {
    const callBegan = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - callBegan);
    iterations++;
  }
  return {
    iterations,
    secondsPerCall: (performance.now() - began) / 1000 / iterations,
    fastestSecondsPerCall: fastest / 1000,
  };
}
