// Super-linear work shows as growth: a linear scan costs about 4x on an
// input 4x longer, a quadratic one 16x, a backtracking one far more. The
// ratio of two sizes, not a wall-clock threshold, is what tests assert, so
// a slow or loaded machine does not make them flaky.

/** Median of `runs` timings of `fn(input)`, in milliseconds. */
function medianMs(fn: (input: string) => unknown, input: string, runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn(input);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * How much more `fn` costs on `make(4n)` than on `make(n)`. `n` is grown
 * until the small input takes long enough to time (at least ~2 ms).
 */
export function growthRatio(fn: (input: string) => unknown, make: (n: number) => string, startN = 1000, runs = 5): number {
  let n = startN;
  fn(make(n)); // warm up the JIT before timing
  while (medianMs(fn, make(n), 3) < 2 && n < 4_000_000) n *= 2;
  const small = medianMs(fn, make(n), runs);
  const large = medianMs(fn, make(4 * n), runs);
  return large / Math.max(small, 0.001);
}

/** Linear work gives ~4; this leaves room for noise and GC but not for n². */
export const LINEAR_GROWTH_LIMIT = 9;
