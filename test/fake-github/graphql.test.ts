// The fake's GraphQL endpoint answers like GitHub's: queries validated
// against GitHub's published schema, NOT_FOUND and FORBIDDEN as typed errors
// beside partial data, connections that demand `first` or `last`, bots named
// by their app's slug, and the GHES path Octokit uses for an /api/v3 base URL.
import { createSign, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { FakeGitHub } from "./index.js";

const APP_ID = 4712;
const INST = 56;
const HEAD = "2".repeat(40);
const BASE = "0".repeat(40);
const PATCH = `From ${HEAD} Mon Sep 17 00:00:00 2001\nFrom: Jane <jane@example.org>\nSubject: [PATCH] x86/mm: skip on Xen\n\nBecause.\n---\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1,1 +1,2 @@\n a\n+b\n`;

const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function appJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const data = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID })}`;
  return `${data}.${createSign("RSA-SHA256").update(data).sign(keys.privateKey).toString("base64url")}`;
}

let fake: FakeGitHub;
let gh: Octokit;

async function token(permissions?: Record<string, string>): Promise<string> {
  const app = new Octokit({ baseUrl: fake.baseUrl, auth: appJwt(), log: quiet });
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: INST, ...(permissions ? { permissions } : {}) });
  return data.token;
}

/** The raw answer (data and errors), as GitHub sends it with HTTP 200. */
async function raw(octokit: Octokit, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; data: any; errors?: any[] }> {
  // At GHES's path, as octokit.graphql sends it; without its throwing on `errors`.
  const res = await octokit.request({ method: "POST", url: fake.baseUrl.replace(/\/api\/v3\/?$/, "/api/graphql"), query, variables });
  return { status: res.status, ...(res.data as { data: unknown; errors?: unknown[] }) } as { status: number; data: any; errors?: any[] };
}

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  await fake.start();
  fake.addInstallation(INST, "kernel");
  fake.addRepo("kernel", "linux");
  fake.addPullRequest("kernel", "linux", { number: 7, title: "t", headSha: HEAD, baseRef: "master", baseSha: BASE, user: "jane", patch: PATCH, labels: ["bug"] });
  fake.setFile("kernel", "linux", "main", ".github/patchwarden.yml", "rules: {}\n");
  fake.setFile("kernel", "linux", BASE, "MAINTAINERS", "XEN\nF:\tarch/x86/xen/\n");
  fake.addReview("kernel", "linux", 7, { body: "ours" });
  fake.addReview("kernel", "linux", 7, { user: "mimic[bot]", body: "theirs" });
  fake.addLabelEvent("kernel", "linux", 7, { label: "patchwarden/override-all", actor: "keeper", event: "labeled", createdAt: "2026-11-25T11:00:00Z" });
  gh = new Octokit({ baseUrl: fake.baseUrl, auth: await token(), log: quiet });
});
afterAll(async () => fake?.stop());

describe("GraphQL", () => {
  it("is served at /api/graphql (Octokit's path for an /api/v3 base URL) and recorded as /graphql with its operation", async () => {
    const data = await gh.graphql<any>(`query Head($n: Int!) { repository(owner: "kernel", name: "linux") { pullRequest(number: $n) { headRefOid baseRefOid state isDraft commits { totalCount } labels(first: 10) { nodes { name } } } } }`, { n: 7 });
    expect(data.repository.pullRequest).toEqual({ headRefOid: HEAD, baseRefOid: BASE, state: "OPEN", isDraft: false, commits: { totalCount: 1 }, labels: { nodes: [{ name: "bug" }, { name: "patchwarden/override-all" }] } });
    const rec = fake.requests.at(-1)!;
    expect([rec.method, rec.path, rec.rawPath, rec.status, rec.graphql]).toEqual(["POST", "/graphql", "/api/graphql", 200, { operation: "Head", variables: { n: 7 } }]);
  });

  it("validates against GitHub's schema: a field GitHub does not have is an error, not a null", async () => {
    const res = await raw(gh, `{ repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { headSha } } }`);
    expect(res.status).toBe(200);
    expect(res.data).toBeUndefined();
    expect(res.errors![0].message).toMatch(/Cannot query field "headSha" on type "PullRequest"/);
  });

  it("reads files by revision expression: HEAD is the default branch, a sha its own tree, a missing path null", async () => {
    const data = await gh.graphql<any>(
      `{ repository(owner: "kernel", name: "linux") { c: object(expression: "HEAD:.github/patchwarden.yml") { __typename ... on Blob { text byteSize isTruncated } } m: object(expression: "${BASE}:MAINTAINERS") { ... on Blob { text } } none: object(expression: "HEAD:MAINTAINERS") { __typename } dir: object(expression: "HEAD:.github") { __typename } } }`,
    );
    expect(data.repository.c).toEqual({ __typename: "Blob", text: "rules: {}\n", byteSize: 10, isTruncated: false });
    expect(data.repository.m.text).toContain("arch/x86/xen/");
    expect(data.repository.none).toBeNull();
    expect(data.repository.dir).toEqual({ __typename: "Tree" });
  });

  it("names a bot by its app's slug (REST says <slug>[bot]) and lists label events with their actor", async () => {
    const data = await gh.graphql<any>(
      `{ repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { reviews(first: 10) { nodes { author { __typename login } body } } timelineItems(itemTypes: [LABELED_EVENT], last: 10) { nodes { ... on LabeledEvent { actor { login } label { name } createdAt } } } } } }`,
    );
    expect(data.repository.pullRequest.reviews.nodes).toEqual([
      { author: { __typename: "Bot", login: "patchwarden" }, body: "ours" },
      { author: { __typename: "Bot", login: "mimic" }, body: "theirs" },
    ]);
    expect(data.repository.pullRequest.timelineItems.nodes).toEqual([{ actor: { login: "keeper" }, label: { name: "patchwarden/override-all" }, createdAt: "2026-11-25T11:00:00Z" }]);
  });

  it("demands first or last on a connection whose nodes are asked for, at most 100", async () => {
    const missing = await raw(gh, `{ repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { reviews { nodes { body } } } } }`);
    expect(missing.errors![0]).toMatchObject({ type: "MISSING_PAGINATION_BOUNDARIES", path: ["repository", "pullRequest", "reviews"] });
    const many = await raw(gh, `{ repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { reviews(first: 101) { nodes { body } } } } }`);
    expect(many.errors![0].type).toBe("EXCESSIVE_PAGINATION");
    const page = await gh.graphql<any>(`{ repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { reviews(first: 1) { pageInfo { hasNextPage endCursor } nodes { body } } } } }`);
    const next = await gh.graphql<any>(`query($after: String) { repository(owner: "kernel", name: "linux") { pullRequest(number: 7) { reviews(first: 1, after: $after) { pageInfo { hasNextPage } nodes { body } } } } }`, { after: page.repository.pullRequest.reviews.pageInfo.endCursor });
    expect([page.repository.pullRequest.reviews.nodes, next.repository.pullRequest.reviews]).toEqual([[{ body: "ours" }], { pageInfo: { hasNextPage: false }, nodes: [{ body: "theirs" }] }]);
  });

  it("a repository the installation does not cover, or a pull request that does not exist, is NOT_FOUND beside the rest of the data", async () => {
    const res = await raw(gh, `{ here: repository(owner: "kernel", name: "linux") { name } gone: repository(owner: "kernel", name: ".github") { name } pr: repository(owner: "kernel", name: "linux") { pullRequest(number: 99) { number } } }`);
    expect(res.data.here).toEqual({ name: "linux" });
    expect(res.data.gone).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({ type: "NOT_FOUND", path: ["gone"], message: "Could not resolve to a Repository with the name 'kernel/.github'." }),
      expect.objectContaining({ type: "NOT_FOUND", path: ["pr", "pullRequest"], message: "Could not resolve to a PullRequest with the number of 99." }),
    ]);
  });

  it("finds the app's check run on a commit by app and name; a token without checks: read is FORBIDDEN there", async () => {
    const { data: run } = await gh.rest.checks.create({ owner: "kernel", repo: "linux", name: "patchwarden", head_sha: HEAD, status: "completed", conclusion: "success", output: { title: "t", summary: "s" } });
    const q = `query($head: GitObjectID!, $app: Int!) { repository(owner: "kernel", name: "linux") { object(oid: $head) { ... on Commit { checkSuites(first: 10, filterBy: { appId: $app }) { nodes { checkRuns(first: 1, filterBy: { checkName: "patchwarden", checkType: LATEST }) { nodes { databaseId } } } } } } } }`;
    const mine = await gh.graphql<any>(q, { head: HEAD, app: APP_ID });
    expect(mine.repository.object.checkSuites.nodes).toEqual([{ checkRuns: { nodes: [{ databaseId: run.id }] } }]);
    const other = await gh.graphql<any>(q, { head: HEAD, app: APP_ID + 1 });
    expect(other.repository.object.checkSuites.nodes).toEqual([]);
    const limited = new Octokit({ baseUrl: fake.baseUrl, auth: await token({ contents: "read", pull_requests: "read" }), log: quiet });
    const denied = await raw(limited, q, { head: HEAD, app: APP_ID });
    expect(denied.errors![0]).toMatchObject({ type: "FORBIDDEN", message: "Resource not accessible by integration" });
  });

  it("holds and fails GraphQL requests by operation and variables", async () => {
    fake.failNextGraphql("Head", 502, { variables: { n: 8 } });
    // Another pull request's read of the same operation is not caught.
    await expect(gh.graphql(`query Head($n: Int!) { repository(owner: "kernel", name: "linux") { pullRequest(number: $n) { headRefOid } } }`, { n: 7, request: { retries: 0 } })).resolves.toBeDefined();
    await expect(gh.graphql(`query Head($n: Int!) { repository(owner: "kernel", name: "linux") { pullRequest(number: $n) { headRefOid } } }`, { n: 8, request: { retries: 0 } })).rejects.toMatchObject({ status: 502 });
    const held = fake.holdNextGraphql("Head", { n: 7 });
    const asked = gh.graphql(`query Head($n: Int!) { repository(owner: "kernel", name: "linux") { pullRequest(number: $n) { headRefOid } } }`, { n: 7 });
    await held.arrived;
    held.release();
    await expect(asked).resolves.toEqual({ repository: { pullRequest: { headRefOid: HEAD } } });
  });
});
