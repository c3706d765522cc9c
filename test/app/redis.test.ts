// Several replicas coordinate through Redis: a delivery is handled once
// whichever replica gets it, and one pull request is reviewed by one replica
// at a time. Against a real redis-server.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { RedisDeliveries, RedisLock } from "../../src/app/redis.js";
import { renderSeries } from "../rules/rule-tester.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";
import { startRedis, type RedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

describe("RedisDeliveries", () => {
  it("says first time once per delivery id, across connections", async () => {
    const a = new RedisDeliveries(redis.client(), "t1");
    const b = new RedisDeliveries(redis.client(), "t1");
    expect(await a.firstTime("delivery-1")).toBe(true);
    expect(await b.firstTime("delivery-1")).toBe(false);
    expect(await b.firstTime("delivery-2")).toBe(true);
  });
});

describe("RedisLock", () => {
  it("lets one holder at a time run for a key, and others run for other keys", async () => {
    const a = new RedisLock(redis.client(), "t2");
    const b = new RedisLock(redis.client(), "t2");
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}-`);
    };
    await Promise.all([a.withLock("pr#1", job("a", 80)), new Promise((r) => setTimeout(r, 10)).then(() => b.withLock("pr#1", job("b", 10)))]);
    expect(log).toEqual(["a+", "a-", "b+", "b-"]);
  });

  it("releases the lock when the job fails", async () => {
    const lock = new RedisLock(redis.client(), "t3");
    await expect(lock.withLock("pr#1", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.withLock("pr#1", async () => "again")).resolves.toBe("again");
  });
});

describe("two replicas behind one Redis", () => {
  let one: Harness;
  let two: Harness;
  beforeAll(async () => {
    one = await startHarness({ deliveries: new RedisDeliveries(redis.client(), "e2e"), lock: new RedisLock(redis.client(), "e2e") });
    two = await startHarness({ fake: one.fake, deliveries: new RedisDeliveries(redis.client(), "e2e"), lock: new RedisLock(redis.client(), "e2e") });
    one.fake.addRepo("kernel", "linux");
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it("a delivery redelivered to the other replica is not reviewed twice", async () => {
    const headSha = "f".repeat(40);
    const patch = renderSeries([{ subject: "x86/mm: skip on Xen", body: "Xen PV cannot do this because the hypervisor owns the page tables.", files: [{ path: "arch/x86/mm/init.c", hunk: "+\tif (xen_pv_domain())\n+\t\treturn;" }] }]);
    one.fake.addPullRequest("kernel", "linux", { number: 900, title: "t", headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch });
    const payload = pullPayload("opened", { number: 900, headSha, baseSha: "c".repeat(40) });
    await sendWebhook(one.url, "pull_request", payload, { delivery: "same-delivery" });
    await one.queue.idle();
    await sendWebhook(two.url, "pull_request", payload, { delivery: "same-delivery" });
    await two.queue.idle();
    expect(one.fake.reviews("kernel", "linux", 900)).toHaveLength(1);
    expect(one.fake.checkRuns("kernel", "linux", headSha)).toHaveLength(1);
    expect(two.reviewed).toHaveLength(0);
  });
});
