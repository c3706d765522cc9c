// The reader's tests ask for growth as (make, run); the meter itself is the
// one in test/security/growth.ts, so there is a single way of timing.
import { growthRatio } from "../security/growth.js";

/** How much more `run(make(4n))` costs than `run(make(n))`; see growthRatio. */
export function growth<T>(make: (n: number) => T, run: (input: T) => unknown, startN = 256, maxN = 1 << 16): number {
  return growthRatio(run, make, startN, 5, maxN);
}

/** Linear work gives ~4; this leaves room for noise and GC, not for n² (16). */
export const LINEAR = 10;
