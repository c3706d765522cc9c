// The app's mirror of a repository (src/github/mirror.ts) against the fake
// GitHub's git smart HTTP: built in the background on the first review,
// later reviews fetch only a base it lacks, a failed fetch is a reason and a
// log line (never an exception), and the mirror is bare, hook-free, holds no
// token, and has a commit-graph with changed-path Bloom filters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { createAppAuth } from "@octokit/auth-app";
import { MIRROR_DEFAULTS, Mirrors, readOnlyTokens, type MirrorSettings } from "../../src/github/mirror.js";
import type { Octokit as AppOctokit } from "../../src/github/types.js";
import { FakeGitHub } from "../fake-github/index.js";
import { TestRepo } from "../history/test-repo.js";

const APP_ID = 4713;
const INSTALLATION = 9;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const REPO = { installation: INSTALLATION, owner: "kernel", repo: "linux" };

let fake: FakeGitHub;
let host: string;
let upstream: TestRepo;
let first: string;
let scratch: string;
const logs: { level: string; o: Record<string, unknown>; msg: string }[] = [];
const log = {
  info: (o: object, msg: string) => logs.push({ level: "info", o: o as Record<string, unknown>, msg }),
  warn: (o: object, msg: string) => logs.push({ level: "warn", o: o as Record<string, unknown>, msg }),
};
const newTokens = () => readOnlyTokens(async () => new Octokit({ baseUrl: fake.baseUrl, authStrategy: createAppAuth, auth: { appId: APP_ID, privateKey: keys.privateKey } }) as unknown as AppOctokit);

let dirCount = 0;
/** Each with its own directory and its own token source (tokens are cached per source). */
function mirrors(settings: Partial<MirrorSettings> = {}): Mirrors {
  const dir = path.join(scratch, `m${++dirCount}`);
  return new Mirrors({ ...MIRROR_DEFAULTS, dir, gitBase: `http://${host}`, ...settings }, newTokens(), log);
}
const git = (dir: string, args: string[]) => execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } }).trim();
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  ({ host } = await fake.start());
  fake.addInstallation(INSTALLATION, "kernel");
  fake.addRepo("kernel", "linux");
  fake.addRepo("kernel", "other");
  upstream = new TestRepo("patchwarden-mirror-up-");
  first = upstream.commit("x86: one", "2024-01-01T00:00:00Z", { "arch/x86/kernel/a.c": "int a;\n", "arch/x86/xen/b.c": "int b;\n" });
  fake.serveGit("kernel", "linux", path.join(upstream.dir, ".git"));
  scratch = mkdtempSync(path.join(tmpdir(), "patchwarden-mirrors-"));
});
afterAll(async () => {
  await fake?.stop();
  upstream?.remove();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  logs.length = 0;
});

describe("the app's mirror", () => {
  it("is built in the background on a repository's first review, once however many reviews ask, and read from then on", async () => {
    const m = mirrors();
    const before = fake.gitRequests.length;
    const [a, b] = await Promise.all([m.baseTree(REPO, first), m.baseTree(REPO, first)]);
    expect(a).toEqual({ tree: null, why: expect.stringContaining("first review") });
    expect(b.tree).toBeNull();
    await m.idle();
    // One build: the refs advertisement and one pack.
    expect(fake.gitRequests.slice(before).map((r) => [r.method, r.status])).toEqual([
      ["GET", 200],
      ["POST", 200],
    ]);
    const where = m.pathOf(REPO)!;
    expect(await m.baseTree(REPO, first)).toEqual({ tree: { repo: where, commit: first, from: "the pull request's base" } });
    // A base it has costs no request.
    expect(fake.gitRequests.length).toBe(before + 2);
    const built = logs.find((l) => l.msg === "mirror built")!;
    expect(built.o).toMatchObject({ repository: "kernel/linux", outcome: "built", base: first, ms: expect.any(Number), diskBytes: expect.any(Number) });
    expect(built.o.diskBytes as number).toBeGreaterThan(0);
    expect(logs.find((l) => l.msg === "mirror upkeep")?.o).toMatchObject({ outcome: "maintained" });
    await m.close();
  });

  it("is bare, has no hooks and no token on disk, and a commit-graph with changed-path Bloom filters", async () => {
    const m = mirrors();
    await m.baseTree(REPO, first);
    await m.idle();
    const where = m.pathOf(REPO)!;
    expect(git(where, ["rev-parse", "--is-bare-repository"])).toBe("true");
    expect(existsSync(path.join(where, "hooks"))).toBe(false);
    expect(git(where, ["for-each-ref", "--format=%(refname) %(objectname)"])).toBe(`refs/patchwarden/bases/${first} ${first}`);
    // Whatever token the fetch used, none of it was written anywhere in the mirror.
    const issued = fake.requestsTo("POST", /access_tokens$/);
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.at(-1)!.body).toEqual({ repositories: ["linux"], permissions: { contents: "read" } });
    const everything = files(where).map((f) => readFileSync(f).toString("latin1")).join("\n");
    expect(everything).not.toMatch(/ghs_/);
    expect(everything).not.toContain(Buffer.from("x-access-token:").toString("base64").slice(0, 16));
    expect(readFileSync(path.join(where, "config"), "utf8")).not.toMatch(/extraheader|url|remote/i);
    // The graph's chunks: BIDX and BDAT are the Bloom filters' index and data.
    const chain = path.join(where, "objects/info/commit-graphs");
    const graph = readdirSync(chain).filter((f) => f.endsWith(".graph")).map((f) => readFileSync(path.join(chain, f)).toString("latin1")).join("");
    expect(graph).toContain("BIDX");
    expect(graph).toContain("BDAT");
    await m.close();
  });

  it("fetches only a new base, and keeps it under a ref of its own", async () => {
    const m = mirrors();
    await m.baseTree(REPO, first);
    await m.idle();
    const second = upstream.commit("x86: two", "2024-01-02T00:00:00Z", { "arch/x86/kernel/a.c": "int a, c;\n" });
    const before = fake.gitRequests.length;
    const answer = await m.baseTree(REPO, second);
    expect(answer.tree?.commit).toBe(second);
    const where = m.pathOf(REPO)!;
    expect(git(where, ["log", "--format=%s", second])).toBe("x86: two\nx86: one");
    const fetch = fake.gitRequests.slice(before);
    expect(fetch.map((r) => r.method)).toEqual(["GET", "POST"]);
    const fetched = logs.find((l) => l.msg === "mirror fetched")!;
    expect(fetched.o).toMatchObject({ outcome: "fetched", base: second, addedBytes: expect.any(Number) });
    expect(fetched.o.addedBytes as number).toBeGreaterThan(0);
    // One pack for the build, one for this fetch: no loose objects.
    expect(files(path.join(where, "objects")).filter((f) => /objects\/[0-9a-f]{2}\//.test(f))).toEqual([]);
    await m.close();
  });

  it("keeps only the newest keepBases base refs; an older base stays readable through the newer one's history", async () => {
    const m = mirrors({ keepBases: 1 });
    await m.baseTree(REPO, first);
    await m.idle();
    const seven = upstream.commit("x86: seven", "2024-01-07T00:00:00Z", { "arch/x86/kernel/a.c": "int a, h;\n" });
    expect((await m.baseTree(REPO, seven)).tree?.commit).toBe(seven);
    const where = m.pathOf(REPO)!;
    expect(git(where, ["for-each-ref", "--format=%(refname)"])).toBe(`refs/patchwarden/bases/${seven}`);
    const before = fake.gitRequests.length;
    expect((await m.baseTree(REPO, first)).tree?.commit).toBe(first);
    expect(fake.gitRequests.length).toBe(before);
    await m.close();
  });

  it("a review waits at most waitMs for a fetch, which goes on for the next review; two reviews of one new base fetch it once", async () => {
    const m = mirrors({ waitMs: 0 });
    await m.baseTree(REPO, first);
    await m.idle();
    const six = upstream.commit("x86: six", "2024-01-06T00:00:00Z", { "arch/x86/kernel/a.c": "int a, g;\n" });
    const before = fake.gitRequests.length;
    const [one, two] = await Promise.all([m.baseTree(REPO, six), m.baseTree(REPO, six)]);
    expect(one.why).toBe("fetching the base commit into the app's mirror took longer than 0 s (it goes on for later reviews)");
    expect(two.tree).toBeNull();
    await m.idle();
    expect(fake.gitRequests.slice(before).map((r) => r.method)).toEqual(["GET", "POST"]);
    expect((await m.baseTree(REPO, six)).tree?.commit).toBe(six);
    await m.close();
  });

  it("a failed fetch is a reason and a warning, never an exception; the next review fetches again", async () => {
    const m = mirrors();
    await m.baseTree(REPO, first);
    await m.idle();
    const third = upstream.commit("x86: three", "2024-01-03T00:00:00Z", { "arch/x86/kernel/a.c": "int a, d;\n" });
    fake.failGitNext(500);
    const failed = await m.baseTree(REPO, third);
    expect(failed.tree).toBeNull();
    expect(failed.why).toContain("the base commit could not be fetched into the app's mirror");
    expect(failed.why).toContain("500");
    expect(logs.find((l) => l.msg === "mirror fetch failed")).toMatchObject({ level: "warn", o: { outcome: "failed", base: third } });
    expect((await m.baseTree(REPO, third)).tree?.commit).toBe(third);
    // A commit GitHub does not have.
    const missing = await m.baseTree(REPO, "0123456789abcdef0123456789abcdef01234567");
    expect(missing.tree).toBeNull();
    expect(missing.why).toContain("could not be fetched");
    await m.close();
  });

  it("reuses a repository's token across fetches, and asks for a new one after a fetch failed", async () => {
    const m = mirrors();
    const asked = () => fake.requestsTo("POST", /access_tokens$/).length;
    const before = asked();
    await m.baseTree(REPO, first);
    await m.idle();
    const fourth = upstream.commit("x86: four", "2024-01-04T00:00:00Z", { "arch/x86/kernel/a.c": "int a, e;\n" });
    expect((await m.baseTree(REPO, fourth)).tree?.commit).toBe(fourth);
    expect(asked()).toBe(before + 1);
    // Revoked (as when the installation's access changes): the fetch fails, and the next one gets a new token.
    fake.revokeTokens();
    const fifth = upstream.commit("x86: five", "2024-01-05T00:00:00Z", { "arch/x86/kernel/a.c": "int a, f;\n" });
    expect((await m.baseTree(REPO, fifth)).why).toContain("could not be fetched");
    expect(fake.gitRequests.at(-1)).toMatchObject({ status: 401, auth: "bad" });
    expect((await m.baseTree(REPO, fifth)).tree?.commit).toBe(fifth);
    expect(asked()).toBe(before + 2);
    await m.close();
  });

  it("a build that fails is said, left no directory behind, and is not retried before retryMs", async () => {
    const m = mirrors({ retryMs: 3_600_000 });
    fake.failGitNext(503);
    expect((await m.baseTree(REPO, first)).tree).toBeNull();
    await m.idle();
    expect(logs.find((l) => l.msg === "mirror build failed")).toMatchObject({ level: "warn", o: { outcome: "failed", reason: expect.stringContaining("503") } });
    const parent = path.dirname(m.pathOf(REPO)!);
    expect(readdirSync(parent)).toEqual([]);
    const again = await m.baseTree(REPO, first);
    expect(again.why).toMatch(/could not be built \(.*503.*\); it is tried again 60 min from now/);
    await m.idle();
    expect(readdirSync(parent)).toEqual([]);
    await m.close();
  });

  it("a git that runs past timeoutMs is killed with its helpers, and the half-built mirror removed", async () => {
    const m = mirrors({ timeoutMs: 1 });
    await m.baseTree(REPO, first);
    await m.idle();
    expect(logs.find((l) => l.msg === "mirror build failed")?.o.reason).toMatch(/was stopped after 0\.0 s/);
    expect(readdirSync(path.dirname(m.pathOf(REPO)!))).toEqual([]);
    await m.close();
  });

  it("close() (SIGTERM) stops a build under way and leaves no half-built mirror", async () => {
    const m = mirrors();
    expect((await m.baseTree(REPO, first)).tree).toBeNull();
    await m.close();
    expect(logs.find((l) => l.msg === "mirror build failed")?.o.reason).toMatch(/shutting down|was stopped/);
    const parent = path.dirname(m.pathOf(REPO)!);
    expect(existsSync(parent) ? readdirSync(parent) : []).toEqual([]);
    expect((await m.baseTree(REPO, first)).why).toBe("the app is shutting down");
  });

  it("two replicas sharing one MIRROR_DIR: both may build, the first rename wins, the other's copy is discarded", async () => {
    const a = mirrors();
    const b = new Mirrors({ ...a.settings }, newTokens(), log);
    await Promise.all([a.baseTree(REPO, first), b.baseTree(REPO, first)]);
    await Promise.all([a.idle(), b.idle()]);
    const outcomes = logs.filter((l) => l.msg === "mirror built").map((l) => l.o.outcome);
    expect(outcomes.sort()).toEqual(["built", "built elsewhere"]);
    const where = a.pathOf(REPO)!;
    expect(readdirSync(path.dirname(where))).toEqual(["linux.git"]);
    expect(git(where, ["rev-parse", `refs/patchwarden/bases/${first}`])).toBe(first);
    expect((await b.baseTree(REPO, first)).tree?.repo).toBe(where);
    await Promise.all([a.close(), b.close()]);
  });

  it("refuses names that are not GitHub's and bases that are not commit ids", async () => {
    const m = mirrors();
    expect(m.pathOf({ owner: "..", repo: "linux" })).toBeNull();
    expect(m.pathOf({ owner: "kernel", repo: "a/b" })).toBeNull();
    expect(m.pathOf({ owner: "Kernel", repo: "Linux" })).toBe(m.pathOf(REPO));
    expect((await m.baseTree({ ...REPO, repo: "../x" }, first)).why).toContain("not a repository name");
    expect((await m.baseTree(REPO, "HEAD")).why).toContain("not a commit id");
    await m.idle();
    expect(existsSync(m.settings.dir)).toBe(false);
    expect(statSync(scratch).isDirectory()).toBe(true);
    await m.close();
  });
});
