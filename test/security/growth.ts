// Super-linear work shows as growth: a linear scan costs about 4x on an
// input 4x longer, a quadratic one 16x, a backtracking one far more. The
// ratio of two sizes, not a wall-clock threshold, is what tests assert, so
// a slow machine does not make them fail. Interference from other work
// (jest runs test files side by side) only ever adds time, so the fastest
// of several runs, and the smallest ratio of a few attempts, is the figure.

function fastestMs<T>(fn: (input: T) => unknown, input: T, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn(input);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * How much more `fn` costs on `make(4n)` than on `make(n)`. `n` is grown
 * until the small input takes long enough to time (at least ~15 ms): below
 * that, the JIT warming up makes even linear code look super-linear. `maxN`
 * stops the growth for inputs that get expensive to build.
 */
export function growthRatio<T>(fn: (input: T) => unknown, make: (n: number) => T, startN = 1000, runs = 5, maxN = 8_000_000): number {
  let n = startN;
  fn(make(n)); // warm up the JIT before timing
  while (fastestMs(fn, make(n), 2) < 15 && n < maxN) n *= 2;
  fn(make(4 * n));
  const small = make(n);
  const large = make(4 * n);
  let ratio = Infinity;
  for (let attempt = 0; attempt < 5 && ratio >= LINEAR_GROWTH_LIMIT; attempt++) {
    ratio = Math.min(ratio, fastestMs(fn, large, runs) / Math.max(fastestMs(fn, small, runs), 0.001));
  }
  return ratio;
}

/** Linear work gives ~4; this leaves room for noise and GC but not for n² (16). */
export const LINEAR_GROWTH_LIMIT = 9;
