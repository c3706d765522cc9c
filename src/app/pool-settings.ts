// How big the review pool is and how much one review may spend, from the
// environment (`npm start`) or from a test.

export interface PoolSettings {
  /** Worker threads, each running one review at a time. */
  workers: number;
  /** Wall time one review may run on its thread before the thread is stopped. */
  timeLimitMs: number;
  /** Heap one worker thread may grow to (V8 old generation) before it is stopped. */
  memoryMb: number;
}

export const DEFAULT_POOL: PoolSettings = { workers: 2, timeLimitMs: 60_000, memoryMb: 512 };

/** Reads REVIEW_WORKERS, REVIEW_TIMEOUT_MS and REVIEW_MEMORY_MB; a bad value throws with its name. */
export function poolSettingsFrom(env: (name: string) => string | undefined): PoolSettings {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    workers: read("REVIEW_WORKERS", DEFAULT_POOL.workers, 1),
    timeLimitMs: read("REVIEW_TIMEOUT_MS", DEFAULT_POOL.timeLimitMs, 100),
    // Below ~32 MB a worker cannot even load tree-sitter and the rules.
    memoryMb: read("REVIEW_MEMORY_MB", DEFAULT_POOL.memoryMb, 32),
  };
}
