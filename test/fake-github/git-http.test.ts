// The fake GitHub's git smart HTTP (git http-backend behind GitHub's
// checks): a real git client clones and fetches with an installation token,
// and is refused the way GitHub refuses it without one.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { TestRepo } from "../history/test-repo.js";
import { FakeGitHub } from "./index.js";

const run = promisify(execFile);
const APP_ID = 4712;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });

function appJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const data = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID })}`;
  return `${data}.${createSign("RSA-SHA256").update(data).sign(keys.privateKey).toString("base64url")}`;
}

let fake: FakeGitHub;
let host: string;
let repo: TestRepo;
let first: string;
let second: string;
let scratch: string;

async function token(installation: number, body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${fake.baseUrl}/app/installations/${installation}/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${appJwt()}`, accept: "application/vnd.github+json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** git as the app runs it: the token in an Authorization header from the environment, no prompt, no user config. */
async function git(args: string[], auth: string | null): Promise<{ code: number; stderr: string; stdout: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
  if (auth !== null) Object.assign(env, { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader", GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${auth}`).toString("base64")}` });
  try {
    const r = await run("git", args, { env });
    return { code: 0, stderr: r.stderr, stdout: r.stdout };
  } catch (err) {
    const e = err as { code: number; stderr: string; stdout: string };
    return { code: e.code, stderr: e.stderr, stdout: e.stdout };
  }
}

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  ({ host } = await fake.start());
  fake.addInstallation(1, "kernel");
  fake.addInstallation(2, "other");
  fake.addRepo("kernel", "linux");
  fake.addRepo("kernel", "tools");
  fake.addRepo("other", "linux");
  repo = new TestRepo("patchwarden-git-http-");
  first = repo.commit("x86: first", "2024-01-01T00:00:00Z", { "arch/x86/a.c": "int a;\n" });
  repo.git(["branch", "old"]);
  second = repo.commit("x86: second", "2024-01-02T00:00:00Z", { "arch/x86/a.c": "int a, b;\n" });
  fake.serveGit("kernel", "linux", path.join(repo.dir, ".git"));
  fake.serveGit("other", "linux", path.join(repo.dir, ".git"));
  scratch = mkdtempSync(path.join(tmpdir(), "patchwarden-git-client-"));
});
afterAll(async () => {
  await fake?.stop();
  repo?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const url = (owner = "kernel", name = "linux") => `http://${host}/${owner}/${name}.git`;

describe("git smart HTTP on the fake GitHub", () => {
  it("clones a bare mirror with the installation token, then fetches a commit by its id", async () => {
    const t = await token(1);
    const dir = path.join(scratch, "mirror.git");
    await run("git", ["init", "-q", "--bare", dir]);
    const got = await git(["-C", dir, "fetch", "--no-tags", url(), `+${first}:refs/bases/one`], t);
    expect(got).toMatchObject({ code: 0 });
    expect((await git(["-C", dir, "rev-parse", "refs/bases/one"], null)).stdout.trim()).toBe(first);
    // The second commit is not there yet; a fetch of its id brings only what is new.
    expect((await git(["-C", dir, "cat-file", "-e", `${second}^{commit}`], null)).code).not.toBe(0);
    const mark = fake.gitRequests.length;
    expect((await git(["-C", dir, "fetch", "--no-tags", url(), `+${second}:refs/bases/two`], t)).code).toBe(0);
    expect((await git(["-C", dir, "log", "--format=%s", "refs/bases/two"], null)).stdout.trim().split("\n")).toEqual(["x86: second", "x86: first"]);
    const calls = fake.gitRequests.slice(mark);
    expect(calls.map((c) => [c.method, c.service, c.status, c.auth, c.installationId])).toEqual([
      ["GET", "git-upload-pack", 200, "token", 1],
      ["POST", "git-upload-pack", 200, "token", 1],
    ]);
  });

  it("asks for credentials without a token (401 with a Basic challenge), refuses a token it never issued", async () => {
    const none = await git(["ls-remote", url()], null);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("terminal prompts disabled");
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 401, auth: "none" });
    const forged = await git(["ls-remote", url()], "ghs_notatokenthisfakeeverissued000000");
    expect(forged.code).not.toBe(0);
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 401, auth: "bad" });
  });

  it("answers 404 for a repository outside the token's installation or its repositories, and serves no push", async () => {
    const other = await git(["ls-remote", url("other", "linux")], await token(1));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("not found");
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 404, owner: "other" });
    // A token limited to kernel/tools does not read kernel/linux.
    const scoped = await git(["ls-remote", url()], await token(1, { repositories: ["tools"] }));
    expect(scoped.code).not.toBe(0);
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 404 });
    const push = await git(["-C", repo.dir, "push", url(), "HEAD:refs/heads/x"], await token(1));
    expect(push.code).not.toBe(0);
    expect(fake.gitRequests.at(-1)).toMatchObject({ service: "git-receive-pack", status: 403 });
  });

  it("refuses a token without contents: read (403), and answers a failure the test asks for", async () => {
    const noContents = await git(["ls-remote", url()], await token(1, { permissions: { checks: "write" } }));
    expect(noContents.code).not.toBe(0);
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 403 });
    const t = await token(1, { repositories: ["linux"], permissions: { contents: "read" } });
    fake.failGitNext(500);
    expect((await git(["ls-remote", url()], t)).code).not.toBe(0);
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 500 });
    const ok = await git(["ls-remote", url()], t);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`${second}\trefs/heads/main`);
    expect(ok.stdout).toContain(`${first}\trefs/heads/old`);
  });
});
