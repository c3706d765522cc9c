// The parts of the fake that the app's trust and size tests lean on: other
// bots' reviews, a push keeping the conversation, the app_id filter on check
// runs, and 422s for texts over GitHub's limits.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createSign, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { FakeGitHub } from "./index.js";

const APP_ID = 4712;
const INST = 56;
const HEAD = "2".repeat(40);
const BASE = "0".repeat(40);
const PATCH = `From ${HEAD} Mon Sep 17 00:00:00 2001\nFrom: J <j@example.org>\nSubject: [PATCH] x\n\nWhy.\n---\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1,1 +1,2 @@\n a\n+b\n-- \n2.43.0\n`;

const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function appJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const data = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID })}`;
  return `${data}.${createSign("RSA-SHA256").update(data).sign(keys.privateKey).toString("base64url")}`;
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

let fake: FakeGitHub;
let gh: Octokit;
const repo = { owner: "kernel", repo: "linux" };

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey, appSlug: "patchwarden" });
  await fake.start();
  fake.addInstallation(INST, "kernel");
  fake.addRepo("kernel", "linux");
  fake.addPullRequest("kernel", "linux", { number: 1, title: "t", headSha: HEAD, baseRef: "main", baseSha: BASE, user: "jane", patch: PATCH });
  const app = new Octokit({ baseUrl: fake.baseUrl, auth: appJwt(), log: quiet });
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: INST });
  gh = new Octokit({ baseUrl: fake.baseUrl, auth: data.token, log: quiet });
});
afterAll(async () => fake?.stop());

describe("what the trust tests need", () => {
  it("GET /app names the app's slug, whose bot is `<slug>[bot]`", async () => {
    const app = new Octokit({ baseUrl: fake.baseUrl, auth: appJwt(), log: quiet });
    const { data } = await app.rest.apps.getAuthenticated();
    expect(data!.slug).toBe("patchwarden");
    expect(fake.botLogin).toBe("patchwarden[bot]");
  });

  it("a seeded review by another bot is listed as a Bot's, and a push keeps it", async () => {
    fake.addReview("kernel", "linux", 1, { user: "mimic[bot]", body: "<!-- patchwarden:review head= fps= -->" });
    fake.addPullRequest("kernel", "linux", { number: 1, title: "t", headSha: "3".repeat(40), baseRef: "main", baseSha: BASE, user: "jane", patch: PATCH.replace(HEAD, "3".repeat(40)) });
    const { data } = await gh.rest.pulls.listReviews({ ...repo, pull_number: 1 });
    expect(data.map((r) => [r.user?.login, r.user?.type])).toEqual([["mimic[bot]", "Bot"]]);
  });

  it("check runs listed with another app_id are not this app's", async () => {
    await gh.rest.checks.create({ ...repo, name: "patchwarden", head_sha: "3".repeat(40), status: "completed", conclusion: "success", output: { title: "t", summary: "s" } });
    const mine = await gh.rest.checks.listForRef({ ...repo, ref: "3".repeat(40), check_name: "patchwarden", app_id: APP_ID });
    const theirs = await gh.rest.checks.listForRef({ ...repo, ref: "3".repeat(40), check_name: "patchwarden", app_id: APP_ID + 1 });
    expect([mine.data.total_count, theirs.data.total_count]).toEqual([1, 0]);
  });
});

describe("GitHub's limits answer 422", () => {
  it("a check run summary or text over 65,535 characters", async () => {
    const create = (summary: string, text?: string) =>
      status(gh.rest.checks.create({ ...repo, name: "x", head_sha: "3".repeat(40), status: "completed", conclusion: "neutral", output: { title: "t", summary, ...(text !== undefined ? { text } : {}) } }));
    expect(await create("s".repeat(65_535))).toBe(200);
    expect(await create("s".repeat(65_536))).toBe(422);
    expect(await create("s", "t".repeat(65_536))).toBe(422);
  });

  it("a review body over 65,536 characters", async () => {
    const review = (body: string) => status(gh.rest.pulls.createReview({ ...repo, pull_number: 1, event: "COMMENT", body }));
    expect(await review("b".repeat(65_537))).toBe(422);
    expect(await review("b".repeat(65_536))).toBe(200);
  });
});
