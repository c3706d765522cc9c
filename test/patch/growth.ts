// Super-linear work shows as growth: linear work costs about 4x on an input
// 4x longer, quadratic work 16x, backtracking far more. Tests assert the
// ratio between two sizes (or count steps), never a wall-clock threshold,
// so a slow or loaded machine does not make them flaky.

function medianMs(fn: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * How much more `run(make(4n))` costs than `run(make(n))`. `n` doubles until
 * the small input takes long enough to time (~3 ms), so fixed costs do not
 * hide the growth.
 */
export function growth<T>(make: (n: number) => T, run: (input: T) => unknown, startN = 256, maxN = 1 << 16): number {
  let n = startN;
  const warm = make(n);
  run(warm);
  for (;;) {
    const input = make(n);
    if (medianMs(() => run(input), 3) >= 3 || n >= maxN) break;
    n *= 2;
  }
  const small = make(n);
  const large = make(4 * n);
  // Noise (GC, a busy machine) only ever inflates one ratio; super-linear
  // work inflates every one. The best of three attempts tells them apart.
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= LINEAR; attempt++) {
    const a = medianMs(() => run(small), 5);
    const b = medianMs(() => run(large), 5);
    best = Math.min(best, b / Math.max(a, 0.01));
  }
  return best;
}

/** Linear work gives ~4; this leaves room for noise and GC, not for n² (16). */
export const LINEAR = 10;
