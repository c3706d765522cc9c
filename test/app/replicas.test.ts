// Two replicas (two servers, each with its BullMQ worker) on one real
// redis-server and one fake GitHub: whichever replica gets a webhook,
// whichever worker runs the job, each head is reviewed once, and a head
// that is no longer the pull request's is never reviewed.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renderSeries, type CommitSpec } from "../rules/rule-tester.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const OWNER = "kernel";
const REPO = "linux";
const BASE = "c".repeat(40);

const commit = (body: string, path = "arch/x86/mm/init.c"): CommitSpec => ({ subject: "x86/mm: skip on Xen", body, files: [{ path, hunk: "+\tif (xen_pv_domain())\n+\t\treturn;" }] });

let redis: RedisServer;
let one: Harness;
let two: Harness;
let nextPull = 900;

beforeAll(async () => {
  redis = await startRedis();
  one = await startHarness({ redisUrl: redis.url, sweepMs: 200 });
  two = await startHarness({ fake: one.fake, redisUrl: redis.url, sweepMs: 200 });
  one.fake.addRepo(OWNER, REPO);
});
afterAll(async () => {
  await two?.stop();
  await one?.stop();
  await redis?.stop();
});

function push(number: number, headSha: string, patch: string) {
  one.fake.addPullRequest(OWNER, REPO, { number, title: "t", headSha, baseRef: "master", baseSha: BASE, user: "contributor", patch });
  return { number, headSha, baseSha: BASE };
}

const sha = (n: number, c: string) => `${n}`.padStart(40, c);

/** Every review of the pull request: its commit and the head its marker names agree. */
function reviewsOf(number: number) {
  return one.fake.reviews(OWNER, REPO, number).map((r) => ({ commit: r.commitId, marker: /head=([0-9a-f]{40})/.exec(r.body)?.[1], paths: r.comments.map((c) => c.path) }));
}

describe("two replicas on one Redis", () => {
  it("the same delivery sent to both replicas at once is one review and one check run", async () => {
    const pr = push(nextPull++, sha(nextPull, "f"), renderSeries([commit("Xen PV cannot do this because the hypervisor owns the page tables.")]));
    const payload = pullPayload("opened", pr);
    const answers = await Promise.all([sendWebhook(one.url, "pull_request", payload, { delivery: "same-delivery" }), sendWebhook(two.url, "pull_request", payload, { delivery: "same-delivery" })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await one.queue.idle();
    expect(one.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(one.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
  });

  it("the same body replayed under new delivery ids, to either replica, posts no second review", async () => {
    const pr = push(nextPull++, sha(nextPull, "f"), renderSeries([commit("Xen PV cannot do this because the hypervisor owns the page tables.")]));
    const payload = pullPayload("opened", pr);
    await sendWebhook(one.url, "pull_request", payload);
    await one.queue.idle();
    await Promise.all([sendWebhook(two.url, "pull_request", payload), sendWebhook(one.url, "pull_request", payload)]);
    await one.queue.idle();
    expect(one.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(one.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
  });

  it("three pushes 0 ms apart, spread over both replicas: only the newest head is reviewed, from its own patch", async () => {
    const number = nextPull++;
    // Each head adds its special case to a different file: a review built from another head's patch shows in its paths.
    const heads = ["1", "2", "3"].map((c) => ({ ...push(number, c.repeat(40), renderSeries([commit("Xen PV cannot do this because the hypervisor owns the page tables.", `arch/x86/mm/f${c}.c`)])), file: `arch/x86/mm/f${c}.c` }));
    const answers = await Promise.all(heads.map((h, i) => sendWebhook((i % 2 ? two : one).url, "pull_request", pullPayload("synchronize", h))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await one.queue.idle();
    expect(one.fake.checkRuns(OWNER, REPO, heads[0]!.headSha)).toHaveLength(0);
    expect(one.fake.checkRuns(OWNER, REPO, heads[1]!.headSha)).toHaveLength(0);
    expect(one.fake.checkRuns(OWNER, REPO, heads[2]!.headSha)).toHaveLength(1);
    expect(reviewsOf(number)).toEqual([{ commit: heads[2]!.headSha, marker: heads[2]!.headSha, paths: [heads[2]!.file] }]);
  });

  it("pushes racing their own reviews end with one review for the newest head, and every review built from the head it names", async () => {
    const number = nextPull++;
    const heads: { headSha: string; file: string }[] = [];
    const sent: Promise<Response>[] = [];
    for (const c of ["4", "5", "6"]) {
      const file = `arch/x86/mm/g${c}.c`;
      const pr = push(number, c.repeat(40), renderSeries([commit("Xen PV cannot do this because the hypervisor owns the page tables.", file)]));
      heads.push({ headSha: pr.headSha, file });
      sent.push(sendWebhook((heads.length % 2 ? one : two).url, "pull_request", pullPayload("synchronize", pr)));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(sent);
    await one.queue.idle();
    const reviews = reviewsOf(number);
    const newest = heads.at(-1)!;
    for (const r of reviews) expect(r.paths).toEqual([heads.find((h) => h.headSha === r.commit)!.file]);
    for (const r of reviews) expect(r.marker).toBe(r.commit);
    // Later findings never come before earlier ones: the last review is the newest head's.
    expect(reviews.at(-1)!.commit).toBe(newest.headSha);
    expect(reviews.filter((r) => r.commit === newest.headSha)).toHaveLength(1);
    expect(one.fake.checkRuns(OWNER, REPO, newest.headSha)).toHaveLength(1);
  });

  it("webhooks GitHub marked failed (5xx, no answer) are redelivered once each, by one replica; answered, bad-signature, other events and old ones are not", async () => {
    const fake = one.fake;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const failed = fake.addHookDelivery({ guid: "g-503", event: "pull_request", action: "opened", statusCode: 503 });
    const timedOut = fake.addHookDelivery({ guid: "g-timeout", event: "pull_request", action: "synchronize", statusCode: 0 });
    fake.addHookDelivery({ guid: "g-ok", event: "pull_request", action: "opened", statusCode: 200 });
    fake.addHookDelivery({ guid: "g-fixed", event: "pull_request", action: "opened", statusCode: 503 });
    fake.addHookDelivery({ guid: "g-fixed", event: "pull_request", action: "opened", statusCode: 200, redelivery: true });
    fake.addHookDelivery({ guid: "g-bad-signature", event: "pull_request", action: "opened", statusCode: 400 });
    fake.addHookDelivery({ guid: "g-issue", event: "issues", action: "opened", statusCode: 503 });
    fake.addHookDelivery({ guid: "g-old", event: "pull_request", action: "opened", statusCode: 503, deliveredAt: hoursAgo(2) });
    const mark = fake.mark();
    // Three more sweeps after both were asked for: a second ask would have come by then.
    const sweeps = () => fake.callsSince(mark, "GET", /^\/app\/hook\/deliveries$/).length;
    while (fake.redeliveryAsks().length < 2) await new Promise((r) => setTimeout(r, 50));
    const after = sweeps();
    while (sweeps() < after + 3) await new Promise((r) => setTimeout(r, 50));
    expect(fake.redeliveryAsks().sort()).toEqual([failed, timedOut].sort());
    expect(fake.callsSince(mark, "POST", /\/attempts$/).map((r) => r.status)).toEqual([202, 202]);
  });

  it("a label added while the head's review runs is not lost: the head is reviewed again after it", async () => {
    const pr = push(nextPull++, sha(nextPull, "e"), renderSeries([commit("Xen PV cannot do this because the hypervisor owns the page tables.")]));
    const held = one.fake.holdNext("POST", new RegExp(`/pulls/${pr.number}/reviews$`));
    await sendWebhook(one.url, "pull_request", pullPayload("opened", pr));
    await held.arrived;
    one.fake.setCollaboratorPermission(OWNER, REPO, "maintainer", "maintain");
    one.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/override-all", actor: "maintainer", event: "labeled", createdAt: new Date(Date.now() + 1_000).toISOString() });
    expect((await sendWebhook(two.url, "pull_request", pullPayload("labeled", { ...pr, labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "maintainer" }))).status).toBe(200);
    held.release();
    await one.queue.idle();
    const checks = one.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("neutral");
    expect(one.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
  });
});
