import { describe, expect, it } from "@jest/globals";
import { InMemoryDeliveries, noLock, PullQueue } from "../../src/app/queue.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("PullQueue", () => {
  it("ignores a delivery it has seen", async () => {
    const q = new PullQueue(new InMemoryDeliveries(), noLock, () => {});
    let runs = 0;
    expect(await q.enqueue("d1", "pr#1", async () => void runs++)).toBe(true);
    expect(await q.enqueue("d1", "pr#1", async () => void runs++)).toBe(false);
    await q.idle();
    expect(runs).toBe(1);
  });

  it("runs one review per pull request at a time and keeps only the newest waiting event", async () => {
    const q = new PullQueue(new InMemoryDeliveries(), noLock, () => {});
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await q.enqueue("a", "pr#1", async () => {
      log.push("start a");
      await gate;
      log.push("end a");
    });
    await q.enqueue("b", "pr#1", async () => void log.push("b"));
    await q.enqueue("c", "pr#1", async () => void log.push("c"));
    await q.enqueue("x", "pr#2", async () => void log.push("x"));
    await tick();
    release();
    await q.idle();
    expect(log).toEqual(["start a", "x", "end a", "c"]);
  });

  it("a failing review is reported and does not stop the others", async () => {
    const errors: string[] = [];
    const q = new PullQueue(new InMemoryDeliveries(), noLock, (key) => errors.push(key));
    let ran = false;
    await q.enqueue("1", "pr#1", async () => {
      throw new Error("boom");
    });
    await q.enqueue("2", "pr#2", async () => void (ran = true));
    await q.idle();
    expect(errors).toEqual(["pr#1"]);
    expect(ran).toBe(true);
  });
});
