// The queue without Redis keeps the BullMQ queue's promises: one job per
// pull request and head, an event during a head's run is run after it (the
// latest only), a delivery seen before is nothing, a failing attempt is
// retried and then reported.
import { describe, expect, it } from "@jest/globals";
import { MemoryQueue } from "../../src/app/memory-queue.js";
import type { ReviewJob } from "../../src/app/review-job.js";

const job = (headSha: string, action = "synchronize"): ReviewJob => ({ installation: 1, owner: "kernel", repo: "linux", pull_number: 1, headSha, action, delivery: "d", receivedAt: 0 });

describe("MemoryQueue", () => {
  it("a delivery seen before is a duplicate and runs nothing", async () => {
    const q = new MemoryQueue(() => {});
    const runs: string[] = [];
    q.start(async (j) => void runs.push(j.headSha));
    expect(await q.add("d1", job("a"))).toBe("queued");
    expect(await q.add("d1", job("a"))).toBe("duplicate");
    await q.idle();
    expect(runs).toEqual(["a"]);
  });

  it("events for a waiting head are that job; an event during its run runs after it, the latest only; other heads run alongside", async () => {
    const q = new MemoryQueue(() => {});
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    await q.add("1", job("a", "opened"));
    await q.add("2", job("a", "edited"));
    q.start(async (j) => {
      log.push(`${j.headSha}:${j.action}`);
      if (first) {
        first = false;
        await gate;
      }
    });
    await q.add("3", job("a", "labeled"));
    await q.add("4", job("a", "unlabeled"));
    await q.add("5", job("b"));
    release();
    await q.idle();
    expect(log).toEqual(["a:opened", "b:synchronize", "a:unlabeled"]);
  });

  it("retries a failing attempt, says which is final, and reports the last failure", async () => {
    const errors: string[] = [];
    const q = new MemoryQueue((j, err) => errors.push(`${j.headSha}: ${(err as Error).message}`), undefined, { attempts: 3, backoffMs: 1 });
    const attempts: string[] = [];
    q.start(async (j, a) => {
      attempts.push(`${a.number}${a.final ? " final" : ""}`);
      throw new Error("boom");
    });
    await q.add("x", job("a"));
    await q.idle();
    expect(attempts).toEqual(["1", "2", "3 final"]);
    expect(errors).toEqual(["a: boom"]);
    expect((await q.counts()).failed).toBe(1);
  });
});
