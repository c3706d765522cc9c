import type { Octokit } from "./types.js";

/** Longest Retry-After we honour before giving up on a request. */
const MAX_WAIT_SECONDS = 60;
const MAX_RETRIES = 2;

/**
 * GitHub's secondary rate limit answers 403 (or 429) with Retry-After; the
 * throttling plugin's fixed spacing of writes is turned off (see main.ts), so
 * this is where we respect what GitHub asks: wait as long as it says, twice
 * at most, then let the error through.
 */
export function respectRetryAfter(octokit: Octokit, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): void {
  octokit.hook.wrap("request", async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (err) {
        const e = err as { status?: number; response?: { headers?: Record<string, string | undefined> } };
        const headers = e.response?.headers ?? {};
        const limited = (e.status === 403 || e.status === 429) && (headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0");
        if (!limited || attempt >= MAX_RETRIES) throw err;
        const seconds = Number(headers["retry-after"] ?? 1);
        if (!(seconds >= 0) || seconds > MAX_WAIT_SECONDS) throw err;
        await sleep(seconds * 1000);
      }
    }
  });
}
