/** How long a repeated call takes, after one warm-up call. */
export interface Timing {
  readonly iterations: number;
  readonly secondsPerCall: number;
  /** The quickest single call: the best the code can do when nothing else competes. */
  readonly fastestSecondsPerCall: number;
  /**
   * The median call: what rates are reported from, because other work on a shared machine
   * preempts some calls and the median ignores those outliers where the mean does not.
   */
  readonly medianSecondsPerCall: number;
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
  const calls: number[] = [];
  while (iterations < minIterations || performance.now() - began < minSeconds * 1000) {
    const callBegan = performance.now();
    await run();
    calls.push(performance.now() - callBegan);
    iterations++;
  }
  calls.sort((a, b) => a - b);
  return {
    iterations,
    secondsPerCall: (performance.now() - began) / 1000 / iterations,
    fastestSecondsPerCall: calls[0] / 1000,
    medianSecondsPerCall: calls[Math.floor(calls.length / 2)] / 1000,
  };
}
