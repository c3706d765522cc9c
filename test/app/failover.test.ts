// Replicas as `npm start` runs them, in their own processes, on one real
// redis-server and one fake GitHub: a replica SIGKILLed mid-review, Redis
// restarted during a run, a replica stopped with SIGTERM mid-review. Each
// ends with exactly one check run and one review per head, none lost.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { BullQueue } from "../../src/app/bullmq-queue.js";
import { FakeGitHub } from "../fake-github/index.js";
import { renderSeries } from "../rules/rule-tester.js";
import { appEnv, appKeys, spawnApp, type AppProcess } from "./app-process.js";
import { APP_ID, INSTALLATION_ID, pullPayload, sendWebhook } from "./harness.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const OWNER = "kernel";
const REPO = "linux";
const BASE = "c".repeat(40);
const PATCH = renderSeries([{ subject: "x86/mm: skip on Xen", body: "Xen PV cannot do this because the hypervisor owns the page tables.", files: [{ path: "arch/x86/mm/init.c", hunk: "+\tif (xen_pv_domain())\n+\t\treturn;" }] }]);
// Processes start, die and take jobs over: more than jest's 5 s.
const SLOW = 60_000;

let redis: RedisServer;
let fake: FakeGitHub;
let env: ReturnType<typeof appEnv>;
let watcher: BullQueue;
const running: AppProcess[] = [];
let nextPull = 1;

beforeAll(async () => {
  redis = await startRedis({ persist: true });
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: appKeys.publicKey });
  const { host } = await fake.start();
  fake.addInstallation(INSTALLATION_ID, OWNER);
  fake.addRepo(OWNER, REPO);
  // A dead replica's job is taken over once its 1 s lock has lapsed.
  env = appEnv(host, { REDIS_URL: redis.url, QUEUE_LOCK_MS: "1000" });
  // Only looks at the queue, to know when it is empty.
  watcher = new BullQueue({ url: redis.url, concurrency: 1, onError: () => undefined });
}, SLOW);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill("SIGKILL")));
});
afterAll(async () => {
  await watcher?.close();
  await fake?.stop();
  await redis?.stop();
  env?.cleanup();
});

async function replica(): Promise<AppProcess> {
  const p = await spawnApp(env.env);
  running.push(p);
  return p;
}

function newPull() {
  const number = nextPull++;
  const headSha = `${number}`.padStart(40, "b");
  fake.addPullRequest(OWNER, REPO, { number, title: "t", headSha, baseRef: "master", baseSha: BASE, user: "contributor", patch: PATCH });
  return { number, headSha, baseSha: BASE };
}

function posted(pr: { number: number; headSha: string }) {
  return { checks: fake.checkRuns(OWNER, REPO, pr.headSha).length, reviews: fake.reviews(OWNER, REPO, pr.number).length };
}

describe("replicas in their own processes", () => {
  it("a replica killed between the check run and the review: the restarted one takes the job over and posts each once", async () => {
    const pr = newPull();
    const held = fake.holdNext("POST", new RegExp(`/pulls/${pr.number}/reviews$`));
    const a = await replica();
    expect((await sendWebhook(a.url, "pull_request", pullPayload("opened", pr))).status).toBe(200);
    await held.arrived;
    expect(posted(pr)).toEqual({ checks: 1, reviews: 0 });
    await a.kill("SIGKILL");
    await held.gone;
    await replica();
    await watcher.idle();
    expect(posted(pr)).toEqual({ checks: 1, reviews: 1 });
  }, SLOW);

  it("a replica killed mid-review while another runs: the other takes the job over", async () => {
    const pr = newPull();
    // Held after the patch was read and analysed, before anything is posted.
    const held = fake.holdNextGraphql("PatchwardenPosted", { number: pr.number });
    const a = await replica();
    expect((await sendWebhook(a.url, "pull_request", pullPayload("opened", pr))).status).toBe(200);
    await held.arrived;
    // Started only now, so the job is surely a's.
    await replica();
    await a.kill("SIGKILL");
    await held.gone;
    await watcher.idle();
    expect(posted(pr)).toEqual({ checks: 1, reviews: 1 });
  }, SLOW);

  it("a job its replicas keep dying on is given up after its third run, with a neutral check that says so", async () => {
    const pr = newPull();
    // Each run is held before its review and its replica killed there: as a series that crashes every replica would.
    for (let run = 1; run <= 3; run++) {
      const held = fake.holdNext("POST", new RegExp(`/pulls/${pr.number}/reviews$`));
      const r = await replica();
      if (run === 1) expect((await sendWebhook(r.url, "pull_request", pullPayload("opened", pr))).status).toBe(200);
      await held.arrived;
      await r.kill("SIGKILL");
      await held.gone;
    }
    await replica();
    // The fourth replica's stalled check fails the job; its failure handler posts the check.
    while (fake.checkRuns(OWNER, REPO, pr.headSha)[0]?.conclusion !== "neutral") await new Promise((r) => setTimeout(r, 50));
    const checks = fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.output.title).toBe("Review not done: failed 3 times");
    expect(checks[0]!.output.summary).toContain("stalled more than allowable limit");
    expect(posted(pr).reviews).toBe(0);
  }, SLOW);

  it("Redis restarted during a run: webhooks it could not store are answered 503, their redeliveries are reviewed, and nothing is lost or doubled", async () => {
    const [a, b] = [await replica(), await replica()];
    const before = [newPull(), newPull(), newPull()];
    const sent = await Promise.all(before.map((pr, i) => sendWebhook((i % 2 ? b : a).url, "pull_request", pullPayload("opened", pr), { delivery: `before-${pr.number}` })));
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
    await redis.kill();
    const during = [newPull(), newPull()];
    const refused = await Promise.all(during.map((pr, i) => sendWebhook((i % 2 ? b : a).url, "pull_request", pullPayload("opened", pr), { delivery: `during-${pr.number}` })));
    expect(refused.map((r) => r.status)).toEqual([503, 503]);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    await redis.start();
    for (const r of [a, b]) while ((await fetch(`${r.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
    // GitHub's redelivery of a failed delivery carries the same id.
    const again = await Promise.all(during.map((pr, i) => sendWebhook((i % 2 ? a : b).url, "pull_request", pullPayload("opened", pr), { delivery: `during-${pr.number}` })));
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    await watcher.idle();
    for (const pr of [...before, ...during]) expect({ pull: pr.number, ...posted(pr) }).toEqual({ pull: pr.number, checks: 1, reviews: 1 });
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
  }, SLOW);

  it("SIGTERM mid-review: the replica finishes the review, then exits 0", async () => {
    const pr = newPull();
    const held = fake.holdNext("POST", new RegExp(`/pulls/${pr.number}/reviews$`));
    const a = await replica();
    expect((await sendWebhook(a.url, "pull_request", pullPayload("opened", pr))).status).toBe(200);
    await held.arrived;
    a.proc.kill("SIGTERM");
    // Let the shutdown begin before the review may go on.
    await new Promise<void>((resolve) => {
      const check = () => (a.log().includes("shutting down") ? resolve() : undefined);
      a.proc.stdout!.on("data", check);
      check();
    });
    held.release();
    expect(await a.exited).toBe(0);
    expect(posted(pr)).toEqual({ checks: 1, reviews: 1 });
    await watcher.idle();
  }, SLOW);
});
