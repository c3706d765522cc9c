// The pool on its own: worker threads from dist/ (built by `npm test`), with
// the test worker that can be told to burn CPU (test/app/test-worker.mjs).
import { afterEach, describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import type { AnalysisInput } from "../../src/engine/job.js";
import { ReviewPool } from "../../src/app/review-pool.js";
import { renderSeries } from "../rules/rule-tester.js";

const WORKER = new URL("./test-worker.mjs", import.meta.url);
const patch = (body: string) => renderSeries([{ subject: "x86/mm: Tidy", body, files: [{ path: "arch/x86/mm/init.c", hunk: " \tfoo();\n+\tif (xen_pv_domain())\n+\t\treturn;\n \tbar();" }] }]);
const input = (text: string): AnalysisInput => ({ sources: [{ name: "t.patch", text }], config: LINUX_DEFAULTS, maintainers: null });

let pool: ReviewPool | null = null;
afterEach(async () => pool?.close());

describe("the review pool", () => {
  it("returns the series and the findings, cloned back from the worker", async () => {
    pool = new ReviewPool({ workers: 1, timeLimitMs: 30_000, memoryMb: 256 }, WORKER);
    const result = await pool.analyze(input(patch("Xen PV guests have no such thing, so this skips it.")));
    expect(result.kind).toBe("reviewed");
    if (result.kind !== "reviewed") return;
    expect(result.series.commits).toHaveLength(1);
    expect(result.findings.map((f) => [f.rule, f.file, f.line])).toContainEqual(["hv-special-case", "arch/x86/mm/init.c", 11]);
  });

  it("says in words what could not be read (an error's class does not survive the thread)", async () => {
    pool = new ReviewPool({ workers: 1, timeLimitMs: 30_000, memoryMb: 256 }, WORKER);
    expect(await pool.analyze(input("not a patch\n"))).toEqual({ kind: "unreadable", error: expect.stringMatching(/^t\.patch[:0-9]*: no patch found/) });
  });

  it("runs the rules without the app's secrets in the environment", async () => {
    process.env.WEBHOOK_SECRET = "not-for-workers";
    try {
      pool = new ReviewPool({ workers: 1, timeLimitMs: 30_000, memoryMb: 256 }, WORKER);
      pool.start();
    } finally {
      delete process.env.WEBHOOK_SECRET;
    }
    await expect(pool.analyze(input(patch("X-Test-Worker: env")))).rejects.toThrow(/^env: /);
    await expect(pool.analyze(input(patch("X-Test-Worker: env")))).rejects.not.toThrow(/WEBHOOK_SECRET|PATH/);
  });

  it("stops a job over its time limit, and the next job gets a fresh thread", async () => {
    pool = new ReviewPool({ workers: 1, timeLimitMs: 500, memoryMb: 256 }, WORKER);
    expect(await pool.analyze(input(patch("X-Test-Worker: spin 30000")))).toEqual({ kind: "over-budget", budget: "time", limit: "0.5 s" });
    expect((await pool.analyze(input(patch("An ordinary change.")))).kind).toBe("reviewed");
  }, 20_000);

  it("counts a job's time from when it starts running, not while it waits for a thread", async () => {
    // Each job alone is well inside the limit; the third waits two jobs' time
    // for the one thread, which would put it over if the wait counted.
    pool = new ReviewPool({ workers: 1, timeLimitMs: 2500, memoryMb: 256 }, WORKER);
    // (A blocking sleep, not a spin: only the thread's time matters here, not its CPU.)
    const results = await Promise.all([1, 2, 3].map(() => pool!.analyze(input(patch("X-Test-Worker: sleep 1000")))));
    expect(results.map((r) => r.kind)).toEqual(["reviewed", "reviewed", "reviewed"]);
  }, 20_000);
});
