// The fake GitHub exercised the way the app uses GitHub: through
// @octokit/rest with an app JWT and then an installation token, and through
// Probot's own Octokit (auth, retry, config plugin).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { Probot, ProbotOctokit } from "probot";
import { FakeGitHub, ROUTES } from "./index.js";
import { hasOperation, operationDocUrl } from "./openapi.js";
import { compile } from "./router.js";

const APP_ID = 4711;
const INST = 55;
const OWNER = "kernel";
const REPO = "linux";
const HEAD = "2222222222222222222222222222222222222222";
const FIRST = "1111111111111111111111111111111111111111";
const BASE = "0000000000000000000000000000000000000000";

const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});
const otherKeys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

/** Octokit logs every failed request with console.error; the failures here are on purpose. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function appJwt(claims: { iss?: unknown; iat?: number; exp?: number } = {}, key = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const data = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID, ...claims })}`;
  return `${data}.${createSign("RSA-SHA256").update(data).sign(key).toString("base64url")}`;
}

const PATCH = [
  `From ${FIRST} Mon Sep 17 00:00:00 2001`,
  "From: Jane Dev <jane@example.org>",
  "Date: Tue, 3 Mar 2026 10:00:00 +0100",
  "Subject: [PATCH 1/2] x86/mm: Skip the flush on Xen PV",
  "",
  "Xen PV guests flush through the hypervisor; the native flush faults there.",
  "",
  "Signed-off-by: Jane Dev <jane@example.org>",
  "---",
  " arch/x86/mm/tlb.c | 3 +++",
  " 1 file changed, 3 insertions(+)",
  "",
  "diff --git a/arch/x86/mm/tlb.c b/arch/x86/mm/tlb.c",
  "index 0123456..89abcde 100644",
  "--- a/arch/x86/mm/tlb.c",
  "+++ b/arch/x86/mm/tlb.c",
  "@@ -10,6 +10,9 @@ static void flush_all(void)",
  " \tint a;",
  " \tint b;",
  " \tint c;",
  "+\tif (xen_pv_domain())",
  "+\t\treturn;",
  "+",
  " \ta = 1;",
  " \tb = 2;",
  " \tc = 3;",
  "-- ",
  "2.43.0",
  "",
  `From ${HEAD} Mon Sep 17 00:00:00 2001`,
  "From: Jane Dev <jane@example.org>",
  "Date: Tue, 3 Mar 2026 10:05:00 +0100",
  "Subject: [PATCH 2/2] mm: Drop a stale comment",
  "",
  "The comment names a function that is gone since the rework.",
  "",
  "Signed-off-by: Jane Dev <jane@example.org>",
  "---",
  " mm/memory.c | 2 +-",
  " 1 file changed, 1 insertion(+), 1 deletion(-)",
  "",
  "diff --git a/mm/memory.c b/mm/memory.c",
  "index 1111111..2222222 100644",
  "--- a/mm/memory.c",
  "+++ b/mm/memory.c",
  "@@ -100,3 +100,3 @@ void f(void)",
  " \tx();",
  "-\t/* see old_helper() */",
  "+\t/* see new_helper() */",
  " \ty();",
  "-- ",
  "2.43.0",
  "",
].join("\n");

let fake: FakeGitHub;

function seed(f: FakeGitHub = fake): void {
  f.addInstallation(INST, OWNER);
  f.addRepo(OWNER, REPO, { defaultBranch: "master" });
  f.addPullRequest(OWNER, REPO, { number: 7, title: "Xen PV flush", headSha: HEAD, baseRef: "master", baseSha: BASE, user: "jane", patch: PATCH });
}

async function appOctokit(f: FakeGitHub = fake): Promise<Octokit> {
  return new Octokit({ baseUrl: f.baseUrl, auth: appJwt(), log: quiet });
}

async function installationOctokit(f: FakeGitHub = fake, installationId = INST): Promise<Octokit> {
  const app = await appOctokit(f);
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: installationId });
  return new Octokit({ baseUrl: f.baseUrl, auth: data.token, log: quiet });
}

/** A request with a body the typed Octokit methods would not let through. */
function untyped(gh: Octokit, route: string, params: Record<string, unknown>): Promise<unknown> {
  return (gh.request as unknown as (r: string, p: Record<string, unknown>) => Promise<unknown>)(route, params);
}

/** The status and body of a failed request. */
async function failure(p: Promise<unknown>): Promise<{ status: number; data: any; headers: Record<string, string | number | undefined> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown; headers: Record<string, string | number | undefined> } };
    return { status: err.status, data: err.response?.data, headers: err.response?.headers ?? {} };
  }
  throw new Error("expected the request to fail");
}

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  seed();
});

describe("authentication", () => {
  it("exchanges an app JWT for an installation token and accepts the token", async () => {
    const app = await appOctokit();
    const { data, status } = await app.rest.apps.createInstallationAccessToken({ installation_id: INST });
    expect(status).toBe(201);
    expect(data.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(Date.parse(data.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(data.repository_selection).toBe("all");
    expect(data.permissions).toMatchObject({ checks: "write", pull_requests: "write" });
    const gh = new Octokit({ baseUrl: fake.baseUrl, auth: data.token, log: quiet });
    const repo = await gh.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(repo.data).toMatchObject({ full_name: "kernel/linux", default_branch: "master", private: true });
    expect(repo.headers["x-ratelimit-remaining"]).toBeDefined();
    expect(fake.requests.map((r) => [r.auth, r.route, r.status])).toEqual([
      ["jwt", "apps.createInstallationAccessToken", 201],
      ["token", "repos.get", 200],
    ]);
    expect(fake.requests[0]!.headers.authorization).toMatch(/^bearer /i);
    expect(fake.requests[1]!.installationId).toBe(INST);
  });

  it("refuses a JWT signed with another key, one lasting too long, and one from another app", async () => {
    const ask = (jwt: string) => failure(new Octokit({ baseUrl: fake.baseUrl, auth: jwt, log: quiet }).rest.apps.createInstallationAccessToken({ installation_id: INST }));
    const now = Math.floor(Date.now() / 1000);
    expect(await ask(appJwt({}, otherKeys.privateKey))).toMatchObject({ status: 401, data: { message: "A JSON web token could not be decoded" } });
    expect(await ask(appJwt({ exp: now + 3600 }))).toMatchObject({ status: 401, data: { message: expect.stringContaining("too far in the future") } });
    expect(await ask(appJwt({ exp: now - 10, iat: now - 600 }))).toMatchObject({ status: 401 });
    expect(await ask(appJwt({ iss: 999 }))).toMatchObject({ status: 401 });
    const missing = await failure(new Octokit({ baseUrl: fake.baseUrl, auth: appJwt(), log: quiet }).rest.apps.createInstallationAccessToken({ installation_id: 404 }));
    expect(missing.status).toBe(404);
  });

  it("answers 401 without a token, with an unknown one and with an expired one", async () => {
    const anonymous = await failure(new Octokit({ baseUrl: fake.baseUrl, log: quiet }).rest.repos.get({ owner: OWNER, repo: REPO }));
    expect(anonymous).toMatchObject({ status: 401, data: { message: "Requires authentication", documentation_url: expect.stringContaining("docs.github.com") } });
    const bogus = await failure(new Octokit({ baseUrl: fake.baseUrl, auth: "ghs_notissuedbythisfake", log: quiet }).rest.repos.get({ owner: OWNER, repo: REPO }));
    expect(bogus).toMatchObject({ status: 401, data: { message: "Bad credentials" } });
    const gh = await installationOctokit();
    fake.expireTokens();
    expect(await failure(gh.rest.repos.get({ owner: OWNER, repo: REPO }))).toMatchObject({ status: 401, data: { message: "Bad credentials" } });
    // an installation token is not an app JWT
    const t = await (await appOctokit()).rest.apps.createInstallationAccessToken({ installation_id: INST });
    const tokenOnJwtRoute = await failure(new Octokit({ baseUrl: fake.baseUrl, auth: t.data.token, log: quiet }).rest.apps.createInstallationAccessToken({ installation_id: INST }));
    expect(tokenOnJwtRoute.status).toBe(401);
  });

  it("hides repositories the installation does not cover and enforces the token's permissions", async () => {
    fake.addRepo("someone-else", "linux");
    const gh = await installationOctokit();
    expect((await failure(gh.rest.repos.get({ owner: "someone-else", repo: REPO }))).status).toBe(404);
    fake.addInstallation(56, "readonly", { permissions: { metadata: "read", pull_requests: "read" } });
    fake.addRepo("readonly", "r");
    fake.addPullRequest("readonly", "r", { number: 1, title: "t", headSha: HEAD, baseRef: "main", baseSha: BASE, user: "jane", patch: PATCH });
    const ro = await installationOctokit(fake, 56);
    expect((await ro.rest.pulls.get({ owner: "readonly", repo: "r", pull_number: 1 })).status).toBe(200);
    const denied = await failure(ro.rest.checks.create({ owner: "readonly", repo: "r", name: "patchwarden", head_sha: HEAD }));
    expect(denied).toMatchObject({ status: 403, data: { message: "Resource not accessible by integration" } });
    expect(denied.headers["x-accepted-github-permissions"]).toBe("checks=write");
  });
});

describe("pull requests", () => {
  it("serves the pull request as JSON, as the format-patch text and as a diff", async () => {
    const gh = await installationOctokit();
    const { data } = await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(data).toMatchObject({ number: 7, state: "open", draft: false, commits: 2, changed_files: 2, additions: 4, deletions: 1 });
    expect(data.head).toMatchObject({ sha: HEAD, ref: "pr-7" });
    expect(data.base).toMatchObject({ sha: BASE, ref: "master" });
    expect(data.user).toMatchObject({ login: "jane", type: "User" });
    const patch = await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: "patch" } });
    expect(patch.data as unknown as string).toBe(PATCH);
    expect(fake.requests.at(-1)!.headers.accept).toBe("application/vnd.github.v3.patch");
    const diff = (await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: "diff" } })).data as unknown as string;
    expect(diff.startsWith("diff --git a/arch/x86/mm/tlb.c b/arch/x86/mm/tlb.c\n")).toBe(true);
    expect(diff).toContain("diff --git a/mm/memory.c b/mm/memory.c\n");
    expect(diff).not.toContain("Signed-off-by");
    expect(diff).not.toContain("2.43.0");
  });

  it("answers 406 'diff too large' for the patch and diff media types when marked, JSON still works", async () => {
    const gh = await installationOctokit();
    fake.setPatchTooLarge(OWNER, REPO, 7, true);
    const res = await failure(gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: "patch" } }));
    expect(res.status).toBe(406);
    expect(res.data).toMatchObject({
      message: expect.stringMatching(/^Sorry, the diff exceeded the maximum number of/),
      errors: [{ resource: "PullRequest", field: "diff", code: "too_large" }],
      status: "406",
    });
    expect((await failure(gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: "diff" } }))).status).toBe(406);
    expect((await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).status).toBe(200);
    fake.setPatchTooLarge(OWNER, REPO, 7, false);
    expect((await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: "patch" } })).status).toBe(200);
  });

  it("derives commits and files from the patch text", async () => {
    const gh = await installationOctokit();
    const commits = (await gh.rest.pulls.listCommits({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(commits.map((c) => [c.sha, c.commit.message.split("\n")[0], c.parents[0]?.sha])).toEqual([
      [FIRST, "x86/mm: Skip the flush on Xen PV", BASE],
      [HEAD, "mm: Drop a stale comment", FIRST],
    ]);
    expect(commits[0]!.commit.author).toMatchObject({ name: "Jane Dev", email: "jane@example.org", date: "2026-03-03T09:00:00Z" });
    const files = (await gh.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["arch/x86/mm/tlb.c", "modified", 3, 0],
      ["mm/memory.c", "modified", 1, 1],
    ]);
    expect(files[1]!.patch).toBe("@@ -100,3 +100,3 @@ void f(void)\n \tx();\n-\t/* see old_helper() */\n+\t/* see new_helper() */\n \ty();");
  });

  it("paginates commits and files with GitHub's Link header and caps them at 250 and 3000", async () => {
    const commits = Array.from({ length: 260 }, (_, i) => ({ sha: i.toString(16).padStart(40, "a"), message: `commit ${i}` }));
    const files = Array.from({ length: 3100 }, (_, i) => ({ filename: `drivers/f${i}.c`, additions: 1, deletions: 0 }));
    fake.addPullRequest(OWNER, REPO, { number: 8, title: "big", headSha: commits[259]!.sha, baseRef: "master", baseSha: BASE, user: "jane", patch: "", commits, files });
    const gh = await installationOctokit();
    const first = await gh.rest.pulls.listCommits({ owner: OWNER, repo: REPO, pull_number: 8, per_page: 100 });
    expect(first.data).toHaveLength(100);
    const repoId = (await gh.rest.repos.get({ owner: OWNER, repo: REPO })).data.id;
    expect(first.headers.link).toBe(
      `<${fake.baseUrl}/repositories/${repoId}/pulls/8/commits?per_page=100&page=2>; rel="next", ` +
        `<${fake.baseUrl}/repositories/${repoId}/pulls/8/commits?per_page=100&page=3>; rel="last"`,
    );
    const third = await gh.rest.pulls.listCommits({ owner: OWNER, repo: REPO, pull_number: 8, per_page: 100, page: 3 });
    expect(third.data).toHaveLength(50);
    expect(third.headers.link).toContain('rel="prev"');
    expect(third.headers.link).toContain('rel="first"');
    expect(third.headers.link).not.toContain('rel="next"');
    const allCommits = await gh.paginate(gh.rest.pulls.listCommits, { owner: OWNER, repo: REPO, pull_number: 8, per_page: 100 });
    expect(allCommits).toHaveLength(250);
    expect(fake.requests.some((r) => r.rawPath.startsWith(`/api/v3/repositories/${repoId}/`) && r.status === 200)).toBe(true);
    const allFiles = await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 8, per_page: 500 });
    expect(allFiles).toHaveLength(3000);
    // per_page above 100 is read as 100; the default is 30
    expect(fake.requests.filter((r) => r.route === "pulls.listFiles")).toHaveLength(30);
    expect((await gh.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 8 })).data).toHaveLength(30);
    // 3100 files is past the diff limit too
    expect((await failure(gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 8, mediaType: { format: "diff" } }))).data.message).toContain("maximum number of files (300)");
  });
});

describe("contents and config", () => {
  it("answers 404 for a missing config, also from the owner's .github repository, and serves files raw or base64", async () => {
    const gh = await installationOctokit();
    const missing = await failure(gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml" }));
    expect(missing).toMatchObject({ status: 404, data: { message: "Not Found", documentation_url: expect.stringContaining("contents") } });
    expect((await failure(gh.rest.repos.getContent({ owner: OWNER, repo: ".github", path: ".github/patchwarden.yml" }))).status).toBe(404);
    fake.setFile(OWNER, REPO, "master", ".github/patchwarden.yml", "hello\n");
    const { data } = await gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml" });
    expect(data).toMatchObject({ type: "file", encoding: "base64", size: 6, sha: "ce013625030ba8dba906f756967f9e9ca394464a" });
    expect(Buffer.from((data as { content: string }).content, "base64").toString()).toBe("hello\n");
    const raw = await gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml", mediaType: { format: "raw" } });
    expect(raw.data as unknown as string).toBe("hello\n");
    // files are per ref; an unknown ref is GitHub's "No commit found"
    expect((await failure(gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml", ref: BASE }))).status).toBe(404);
    expect((await failure(gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: "x", ref: "nope" }))).data.message).toBe("No commit found for the ref nope");
    fake.setFile(OWNER, REPO, "master", ".github/patchwarden.yml", null);
    expect((await failure(gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml" }))).status).toBe(404);
  });

  it("works with Probot's Octokit: app auth, and context.config's lookups with _extends", async () => {
    const probot = new Probot({
      appId: APP_ID,
      privateKey: keys.privateKey,
      baseUrl: fake.baseUrl,
      Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
      logLevel: "fatal",
    });
    const octokit = await probot.auth(INST);
    expect((await octokit.rest.repos.get({ owner: OWNER, repo: REPO })).data.name).toBe(REPO);
    const none = await octokit.config.get({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml" });
    expect(none.config).toEqual({});
    fake.addRepo(OWNER, ".github");
    fake.setFile(OWNER, ".github", "main", ".github/patchwarden.yml", "limits:\n  maxInputBytes: 1000\n");
    fake.setFile(OWNER, REPO, "master", ".github/patchwarden.yml", "_extends: .github\nrules:\n  sprawl: { enabled: false }\n");
    const merged = await octokit.config.get({ owner: OWNER, repo: REPO, path: ".github/patchwarden.yml" });
    expect(merged.config).toEqual({ limits: { maxInputBytes: 1000 }, rules: { sprawl: { enabled: false } } });
    expect(fake.requests.filter((r) => r.route === "repos.getContent").map((r) => [r.path, r.headers.accept, r.status])).toEqual([
      ["/repos/kernel/linux/contents/.github%2Fpatchwarden.yml", "application/vnd.github.v3.raw", 404],
      ["/repos/kernel/.github/contents/.github%2Fpatchwarden.yml", "application/vnd.github.v3.raw", 404], // the org fallback
      ["/repos/kernel/linux/contents/.github%2Fpatchwarden.yml", "application/vnd.github.v3.raw", 200],
      ["/repos/kernel/.github/contents/.github%2Fpatchwarden.yml", "application/vnd.github.v3.raw", 200],
    ]);
  });
});

describe("reviews", () => {
  const review = (gh: Octokit, comments: { path: string; line: number; side?: "LEFT" | "RIGHT"; start_line?: number; body: string }[], body = "patchwarden found things") =>
    gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body, comments });

  it("stores a review with comments on new-side lines of the diff", async () => {
    const gh = await installationOctokit();
    const { data } = await review(gh, [
      { path: "arch/x86/mm/tlb.c", line: 13, body: "Xen special case in arch/x86/mm" },
      { path: "arch/x86/mm/tlb.c", start_line: 13, line: 14, body: "two lines" },
      { path: "mm/memory.c", line: 101, side: "LEFT", body: "on the removed line" },
    ]);
    expect(data).toMatchObject({ state: "COMMENTED", commit_id: HEAD, user: { login: "patchwarden[bot]", type: "Bot" } });
    const stored = fake.reviews(OWNER, REPO, 7);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.comments.map((c) => [c.path, c.startLine, c.line, c.side, c.position])).toEqual([
      ["arch/x86/mm/tlb.c", null, 13, "RIGHT", 4],
      ["arch/x86/mm/tlb.c", 13, 14, "RIGHT", 5],
      ["mm/memory.c", null, 101, "LEFT", 2],
    ]);
    const listed = (await gh.rest.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(listed[0]).toMatchObject({ pull_request_review_id: data.id, line: 13, side: "RIGHT", user: { login: "patchwarden[bot]" } });
    expect(listed[0]!.diff_hunk).toBe("@@ -10,6 +10,9 @@ static void flush_all(void)\n \tint a;\n \tint b;\n \tint c;\n+\tif (xen_pv_domain())");
    expect((await gh.rest.pulls.listReviews({ owner: OWNER, repo: REPO, pull_number: 7 })).data.map((r) => r.id)).toEqual([data.id]);
  });

  it("answers 422 'Line could not be resolved' for a line outside the diff, as one sentence for all bad comments", async () => {
    const gh = await installationOctokit();
    const one = await failure(review(gh, [{ path: "arch/x86/mm/tlb.c", line: 5, body: "outside the hunk" }]));
    expect(one).toMatchObject({ status: 422, data: { message: "Unprocessable Entity", errors: ["Line could not be resolved"] } });
    const many = await failure(
      review(gh, [
        { path: "arch/x86/mm/tlb.c", line: 13, body: "fine" },
        { path: "arch/x86/mm/tlb.c", line: 99, body: "outside" },
        { path: "kernel/fork.c", line: 1, body: "not in the PR" },
        { path: "mm/memory.c", line: 101, side: "RIGHT", body: "new side 101 is the added line: fine" },
        { path: "mm/memory.c", line: 103, body: "beyond the hunk" },
      ]),
    );
    expect(many.data.errors).toEqual(["Line could not be resolved, Path could not be resolved, and Line could not be resolved"]);
    expect(fake.reviews(OWNER, REPO, 7)).toEqual([]);
    expect((await failure(gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: "f".repeat(40), event: "COMMENT", body: "x" }))).status).toBe(422);
    expect((await failure(review(gh, [], "x".repeat(65537)))).data.errors).toEqual(["Body is too long (maximum is 65536 characters)"]);
  });
});

describe("check runs", () => {
  const annotations = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({ path: "arch/x86/mm/tlb.c", start_line: 13, end_line: 13, annotation_level: "failure" as const, message: `finding ${from + i}` }));

  it("caps annotations at 50 per request and appends them on update", async () => {
    const gh = await installationOctokit();
    const tooMany = await failure(
      gh.rest.checks.create({ owner: OWNER, repo: REPO, name: "patchwarden", head_sha: HEAD, status: "in_progress", output: { title: "t", summary: "s", annotations: annotations(51) } }),
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.data.message).toMatch(/^Invalid request\.\n\nFor 'properties\/annotations', .* has more than 50 items\.$/s);
    const created = await gh.rest.checks.create({ owner: OWNER, repo: REPO, name: "patchwarden", head_sha: HEAD, status: "in_progress", output: { title: "t", summary: "s", annotations: annotations(50) } });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: "in_progress", conclusion: null, output: { annotations_count: 50 }, app: { slug: "patchwarden" } });
    await gh.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, output: { summary: "s2", annotations: annotations(50, 50) } });
    await gh.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, conclusion: "failure", output: { title: "done", summary: "s3", annotations: annotations(7, 100) } });
    const [run] = fake.checkRuns(OWNER, REPO, HEAD);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", updates: 2, output: { title: "done", summary: "s3" } });
    expect(run!.annotations.map((a) => a.message)).toEqual(annotations(107).map((a) => a.message));
    const listed = await gh.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: HEAD, check_name: "patchwarden" });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]).toMatchObject({ id: created.data.id, output: { annotations_count: 107 } });
    expect((await gh.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: HEAD, check_name: "other" })).data.total_count).toBe(0);
    const completedWithout = await failure(gh.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: 1, status: "completed" }));
    expect(completedWithout.status).toBe(422);
    expect((await failure(gh.rest.checks.create({ owner: OWNER, repo: REPO, name: "x", head_sha: "e".repeat(40) }))).data.message).toBe(`No commit found for SHA: ${"e".repeat(40)}`);
  });
});

describe("request bodies against the OpenAPI description", () => {
  it("answers 422 'Invalid request' for bodies GitHub's schema rejects and 400 for broken JSON", async () => {
    const gh = await installationOctokit();
    const badEvent = await failure(untyped(gh, "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: OWNER, repo: REPO, pull_number: 7, event: "LGTM", body: "x" }));
    expect(badEvent.status).toBe(422);
    expect(badEvent.data.message).toBe(`Invalid request.\n\nFor 'properties/event', "LGTM" is not a member of ["APPROVE", "REQUEST_CHANGES", "COMMENT"].`);
    expect(badEvent.data.documentation_url).toBe("https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request");
    const noBody = await failure(untyped(gh, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: OWNER, repo: REPO, issue_number: 7 }));
    expect(noBody.data.message).toBe(`Invalid request.\n\n"body" wasn't supplied.`);
    const nilBody = await failure(untyped(gh, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: OWNER, repo: REPO, issue_number: 7, body: null }));
    expect(nilBody.data.message).toBe(`Invalid request.\n\nFor 'properties/body', nil is not a string.`);
    const noSha = await failure(untyped(gh, "POST /repos/{owner}/{repo}/check-runs", { owner: OWNER, repo: REPO, name: "patchwarden" }));
    expect(noSha.data.message).toBe(`Invalid request.\n\n"head_sha" wasn't supplied.`);
    const lineAsString = await failure(
      untyped(gh, "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: OWNER, repo: REPO, pull_number: 7, event: "COMMENT", body: "x", comments: [{ path: "mm/memory.c", line: "101", body: "x" }] }),
    );
    expect(lineAsString.data.message).toBe(`Invalid request.\n\nFor 'properties/line', "101" is not an integer.`);
    const broken = await fetch(`${fake.baseUrl}/repos/${OWNER}/${REPO}/issues/7/comments`, {
      method: "POST",
      headers: { authorization: fake.requests.find((r) => r.auth === "token")!.headers.authorization!, "content-type": "application/json" },
      body: "{nope",
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ message: "Problems parsing JSON" });
    expect(FakeGitHub.openApiLoadStats()).toMatchObject({ operations: expect.any(Number) });
  });

  it("has every write route in the OpenAPI description, with the same documentation URL", () => {
    for (const def of ROUTES) {
      const route = compile(def);
      if (def.method === "GET") continue;
      expect(hasOperation(route.operation)).toBe(true);
      // the description's URLs are sometimes the older /rest/reference/... form; the anchor is the same
      const anchor = (u: string | null) => u?.replace(/^.*#/, "");
      expect([route.operation, anchor(def.doc)]).toEqual([route.operation, anchor(operationDocUrl(route.operation))]);
    }
  });
});

describe("faults", () => {
  it("fails the next matching request with 403 and Retry-After, like a secondary rate limit", async () => {
    const gh = await installationOctokit();
    fake.failNext("POST", /\/pulls\/7\/reviews$/, 403, { headers: { "Retry-After": "1" } });
    const limited = await failure(gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body: "x" }));
    expect(limited.status).toBe(403);
    expect(limited.headers["retry-after"]).toBe("1");
    expect(limited.data.message).toMatch(/secondary rate limit/);
    expect(fake.pendingFaults()).toBe(0);
    const ok = await gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body: "x" });
    expect(ok.status).toBe(200);
    expect(fake.requestsTo("POST", /\/reviews$/).map((r) => [r.status, r.fault])).toEqual([
      [403, "failNext"],
      [200, null],
    ]);
    fake.failNext("*", /^\/repos\/kernel\/linux$/, 502, { times: 2 });
    expect((await failure(gh.rest.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(502);
    expect((await failure(gh.rest.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(502);
    expect((await gh.rest.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
  });

  it("answers a seeded share of requests with 5xx when flaky, the same way for the same seed", async () => {
    const statuses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const f = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey, flakiness: 0.3, seed: 42 });
      await f.start();
      try {
        seed(f);
        const gh = await installationOctokit(f);
        const got: number[] = [];
        for (let i = 0; i < 40; i++) got.push(await gh.rest.repos.get({ owner: OWNER, repo: REPO }).then((r) => r.status, (e: { status: number }) => e.status));
        statuses.push(got);
      } finally {
        await f.stop();
      }
    }
    expect(statuses[0]).toEqual(statuses[1]);
    const failed = statuses[0]!.filter((s) => s >= 500).length;
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(25);
  });
});

describe("labels, events, comments and permissions", () => {
  it("lists label events with actors, removes labels like GitHub and records who did", async () => {
    fake.addLabelEvent(OWNER, REPO, 7, { label: "patchwarden:override", actor: "maint", event: "labeled", createdAt: "2026-03-03T10:00:00Z" });
    fake.addLabelEvent(OWNER, REPO, 7, { label: "patchwarden:override", actor: "jane", event: "unlabeled", createdAt: "2026-03-03T11:00:00Z" });
    fake.addLabelEvent(OWNER, REPO, 7, { label: "patchwarden:override", actor: "jane", event: "labeled", createdAt: "2026-03-03T12:00:00Z" });
    const gh = await installationOctokit();
    const events = (await gh.rest.issues.listEvents({ owner: OWNER, repo: REPO, issue_number: 7 })).data;
    expect(events.map((e) => [e.event, e.actor?.login, (e as { label?: { name: string } }).label?.name, e.created_at])).toEqual([
      ["labeled", "maint", "patchwarden:override", "2026-03-03T10:00:00Z"],
      ["unlabeled", "jane", "patchwarden:override", "2026-03-03T11:00:00Z"],
      ["labeled", "jane", "patchwarden:override", "2026-03-03T12:00:00Z"],
    ]);
    expect((await gh.rest.issues.listLabelsOnIssue({ owner: OWNER, repo: REPO, issue_number: 7 })).data.map((l) => l.name)).toEqual(["patchwarden:override"]);
    const removed = await gh.rest.issues.removeLabel({ owner: OWNER, repo: REPO, issue_number: 7, name: "patchwarden:override" });
    expect(removed.data).toEqual([]);
    expect(fake.labels(OWNER, REPO, 7)).toEqual([]);
    expect(fake.labelEvents(OWNER, REPO, 7).at(-1)).toMatchObject({ event: "unlabeled", actor: "patchwarden[bot]" });
    expect(await failure(gh.rest.issues.removeLabel({ owner: OWNER, repo: REPO, issue_number: 7, name: "patchwarden:override" }))).toMatchObject({
      status: 404,
      data: { message: "Label does not exist" },
    });
    const c = await gh.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: "<!-- patchwarden -->\nsummary" });
    expect(c.status).toBe(201);
    expect(c.data).toMatchObject({ user: { login: "patchwarden[bot]", type: "Bot" }, performed_via_github_app: { slug: "patchwarden" } });
    expect(fake.issueComments(OWNER, REPO, 7).map((x) => x.body)).toEqual(["<!-- patchwarden -->\nsummary"]);
  });

  it("answers the permission endpoint like GitHub: legacy permission plus role_name, 404 for unknown accounts", async () => {
    fake.setCollaboratorPermission(OWNER, REPO, "maint", "maintain");
    fake.setCollaboratorPermission(OWNER, REPO, "tri", "triage");
    fake.setCollaboratorPermission(OWNER, REPO, "boss", "admin");
    const gh = await installationOctokit();
    const perm = async (username: string) => {
      const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username });
      return [data.permission, data.role_name, data.user?.login];
    };
    expect(await perm("maint")).toEqual(["write", "maintain", "maint"]);
    expect(await perm("tri")).toEqual(["read", "triage", "tri"]);
    expect(await perm("boss")).toEqual(["admin", "admin", "boss"]);
    expect(await perm("jane")).toEqual(["none", "", "jane"]); // an account that exists (the PR's author) but is no collaborator
    expect((await failure(gh.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: "no-such-account" }))).status).toBe(404);
    fake.addRepo(OWNER, "public-tree", { private: false });
    expect((await gh.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: "public-tree", username: "jane" })).data.permission).toBe("read");
  });
});

describe("inspection helpers", () => {
  it("marks and filters recorded calls", async () => {
    const gh = await installationOctokit();
    const mark = fake.mark();
    await gh.rest.repos.get({ owner: OWNER, repo: REPO });
    await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(fake.callsSince(mark).map((r) => r.route)).toEqual(["repos.get", "pulls.get"]);
    expect(fake.callsSince(mark, "GET", /\/pulls\//).map((r) => r.path)).toEqual(["/repos/kernel/linux/pulls/7"]);
    expect(createHash("sha1").update("blob 0\0").digest("hex")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });
});

describe("a push (addPullRequest again under the same number)", () => {
  it("keeps the reviews and the labels, and serves the new head", async () => {
    const gh = await installationOctokit();
    await gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body: "first" });
    fake.addLabelEvent(OWNER, REPO, 7, { label: "needs-work", actor: "jane", event: "labeled", createdAt: "2026-03-03T10:00:00Z" });
    fake.addPullRequest(OWNER, REPO, { number: 7, title: "Xen PV flush", headSha: "9".repeat(40), baseRef: "master", baseSha: BASE, user: "jane", patch: PATCH });
    expect((await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).data.head.sha).toBe("9".repeat(40));
    expect((await gh.rest.pulls.listReviews({ owner: OWNER, repo: REPO, pull_number: 7 })).data.map((r) => r.body)).toEqual(["first"]);
    expect(fake.labels(OWNER, REPO, 7)).toEqual(["needs-work"]);
  });
});

describe("the app's webhook deliveries", () => {
  it("lists them newest first with GitHub's fields, paginated, and takes a redelivery of a known one (JWT only)", async () => {
    const older = fake.addHookDelivery({ guid: "g-1", event: "pull_request", action: "opened", statusCode: 503 });
    const newer = fake.addHookDelivery({ guid: "g-2", event: "pull_request", action: "synchronize", statusCode: 200 });
    const app = await appOctokit();
    const { data } = await app.rest.apps.listWebhookDeliveries({ per_page: 1 });
    expect(data).toEqual([expect.objectContaining({ id: newer, guid: "g-2", status: "OK", status_code: 200, event: "pull_request", action: "synchronize", redelivery: false })]);
    const all = await app.paginate(app.rest.apps.listWebhookDeliveries, { per_page: 1 });
    expect(all.map((d) => [d.id, d.status])).toEqual([
      [newer, "OK"],
      [older, "Service Unavailable"],
    ]);
    expect((await app.rest.apps.redeliverWebhookDelivery({ delivery_id: older })).status).toBe(202);
    expect((await failure(app.rest.apps.redeliverWebhookDelivery({ delivery_id: 1 }))).status).toBe(404);
    expect(fake.redeliveryAsks()).toEqual([older]);
    const gh = await installationOctokit();
    expect((await failure(gh.rest.apps.listWebhookDeliveries())).status).toBe(401);
  });
});

describe("holdNext", () => {
  it("holds a request until released, and drops it unapplied when its caller goes away", async () => {
    const gh = await installationOctokit();
    const held = fake.holdNext("POST", /\/pulls\/7\/reviews$/);
    const posting = gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body: "held" });
    await held.arrived;
    expect(fake.reviews(OWNER, REPO, 7)).toHaveLength(0);
    held.release();
    await posting;
    expect(fake.reviews(OWNER, REPO, 7)).toHaveLength(1);

    const dropped = fake.holdNext("POST", /\/pulls\/7\/reviews$/);
    const controller = new AbortController();
    const aborted = gh.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: "COMMENT", body: "gone", request: { signal: controller.signal } }).catch(() => "aborted");
    await dropped.arrived;
    controller.abort();
    await dropped.gone;
    expect(await aborted).toBe("aborted");
    expect(fake.reviews(OWNER, REPO, 7)).toHaveLength(1);
  });
});
