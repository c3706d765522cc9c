import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, statfs } from "node:fs/promises";
import path from "node:path";
import type { TreeBase } from "../tree/gather.js";
import { trimEndChar } from "../util/text.js";
import type { Octokit } from "./types.js";

// The app's copy of each repository it reviews: a bare mirror on local
// disk, fetched from GitHub over git's smart HTTP with a token of the
// installation, read by the rules' tree lookups (git grep / log / cat-file
// at the pull request's base). A cache, never a work tree: nothing is
// checked out and nothing from the repository runs (no hooks, no
// submodules, no filters: only fetch, repack and commit-graph touch it).
//
// The first review of a repository does not wait for a clone (a kernel's is
// minutes): it runs without the tree while the mirror is built in the
// background. Later reviews fetch only the base commit when the mirror lacks
// it, waiting a bounded time. Nothing here throws into a review: every
// failure becomes a reason the review shows ("reviewed without the base
// tree: ...") and a log line.
//
// Replicas: each keeps its own mirrors (MIRROR_DIR on local disk). Pointed
// at one shared directory they tolerate each other rather than lock: a
// build happens in a temporary directory renamed into place (the first
// rename wins, a later one is discarded), and two fetches into one mirror
// are serialised by git's own ref locks (the loser's review reads the tree
// if its base arrived anyway, else runs without it).

export interface MirrorSettings {
  /** Where mirrors live: `<dir>/<host>/<owner>/<repo>.git`. */
  dir: string;
  /** Where repositories are fetched from: `https://github.com`, or a GitHub Enterprise Server's `https://host`. */
  gitBase: string;
  /** How long a review waits for the fetch of a base the mirror lacks; the fetch goes on past it for later reviews. */
  waitMs: number;
  /** Longest one clone, fetch, repack or commit-graph write may run before it is killed. */
  timeoutMs: number;
  /** After a failed build, how long before the next review tries again. */
  retryMs: number;
  /** Base commits kept as refs (older ones are dropped; their history stays while a newer base reaches it). */
  keepBases: number;
  /** Builds (first clones) running at once across repositories. */
  maxBuilds: number;
}

export const MIRROR_DEFAULTS: Omit<MirrorSettings, "dir" | "gitBase"> = {
  waitMs: 20_000,
  timeoutMs: 3_600_000,
  retryMs: 600_000,
  keepBases: 200,
  maxBuilds: 2,
};

export interface MirrorRepo {
  installation: number;
  owner: string;
  repo: string;
}

/** The tree a review may read, or why it has none (said in the check run). */
export type BaseTreeAnswer = { tree: TreeBase; why?: undefined } | { tree: null; why: string };

/** A token that may read one repository's contents: what the fetch authenticates with. `forget`: a fetch with it failed (revoked?): ask anew next time. */
export type TokenSource = ((repo: MirrorRepo) => Promise<string>) & { forget?: (repo: MirrorRepo) => void };

export interface MirrorLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

/**
 * An installation token for `git fetch` that can do nothing else: contents
 * read, on this one repository. Asked for with the app's JWT, an ordinary
 * request, so GHE_HOST's API base applies.
 */
export function readOnlyTokens(appOctokit: () => Promise<Octokit>, now: () => number = Date.now): TokenSource {
  // A token lives an hour: one per repository is reused until ten minutes before it ends.
  const cache = new Map<string, { token: string; until: number }>();
  const keyOf = ({ installation, owner, repo }: MirrorRepo) => `${installation}/${owner.toLowerCase()}/${repo.toLowerCase()}`;
  const source = async ({ installation, owner, repo }: MirrorRepo) => {
    const key = keyOf({ installation, owner, repo });
    const cached = cache.get(key);
    if (cached && cached.until > now()) return cached.token;
    const octokit = await appOctokit();
    const res = await octokit.rest.apps.createInstallationAccessToken({ installation_id: installation, repositories: [repo], permissions: { contents: "read" } });
    const expires = Date.parse(res.data.expires_at);
    cache.set(key, { token: res.data.token, until: (Number.isFinite(expires) ? expires : now() + 3_600_000) - 600_000 });
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return res.data.token;
  };
  return Object.assign(source, { forget: (r: MirrorRepo) => void cache.delete(keyOf(r)) });
}

const BASE_REFS = "refs/patchwarden/bases";
// GitHub's owner and repository names; `.` and `..` are not names.
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

class MirrorError extends Error {}

export class Mirrors {
  private readonly building = new Map<string, Promise<void>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly failedBuilds = new Map<string, { at: number; why: string }>();
  private readonly maintaining = new Set<string>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly children = new Set<ChildProcess>();
  private buildsRunning = 0;
  private readonly buildWaiters: (() => void)[] = [];
  private closed = false;

  /** `token` and `log` may come later (connect): the app has them only once Probot runs. */
  constructor(
    readonly settings: MirrorSettings,
    private token: TokenSource = async () => {
      throw new MirrorError("the mirror has no token source yet");
    },
    private log: MirrorLog = { info: () => undefined, warn: () => undefined },
    private readonly now: () => number = Date.now,
  ) {}

  /** Gives the mirror the app's token source and logger (src/app/index.ts does, once Probot runs). */
  connect(token: TokenSource, log: MirrorLog): void {
    this.token = token;
    this.log = log;
  }

  /** Where a repository's mirror lives, or null for a name that is not GitHub's. */
  pathOf(repo: Pick<MirrorRepo, "owner" | "repo">): string | null {
    if (!NAME.test(repo.owner) || !NAME.test(repo.repo) || [repo.owner, repo.repo].some((n) => n === "." || n === "..")) return null;
    const host = new URL(this.settings.gitBase).host.replace(/[^A-Za-z0-9.-]/g, "_");
    // GitHub's names are case-insensitive: one mirror per repository however the webhook spells it.
    return path.join(this.settings.dir, host, repo.owner.toLowerCase(), `${repo.repo.toLowerCase()}.git`);
  }

  /**
   * The base tree for a review of `repo` at `baseSha`. Never throws and
   * never waits for a build; waits at most `waitMs` for a fetch.
   */
  async baseTree(repo: MirrorRepo, baseSha: string): Promise<BaseTreeAnswer> {
    const where = this.pathOf(repo);
    const name = `${repo.owner}/${repo.repo}`;
    if (!where) return { tree: null, why: `${name} is not a repository name the mirror accepts` };
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(baseSha)) return { tree: null, why: "the pull request's base is not a commit id" };
    if (this.closed) return { tree: null, why: "the app is shutting down" };
    const tree = { tree: { repo: where, commit: baseSha, from: "the pull request's base" } };
    const stillBuilding = { tree: null, why: "the app's mirror of this repository is still being built (its first review): later reviews read the base tree" };
    if (this.building.has(where)) return stillBuilding;
    if (!(await exists(path.join(where, "HEAD")))) {
      // Another review may have started the build while this one looked.
      if (this.building.has(where)) return stillBuilding;
      const failed = this.failedBuilds.get(where);
      if (failed && this.now() - failed.at < this.settings.retryMs) {
        return { tree: null, why: `the app's mirror of this repository could not be built (${failed.why}); it is tried again ${Math.ceil((failed.at + this.settings.retryMs - this.now()) / 60_000)} min from now` };
      }
      this.startBuild(where, repo, baseSha);
      return { tree: null, why: "this is the repository's first review with a mirror: it is being built in the background, and later reviews read the base tree" };
    }
    if (await this.hasCommit(where, baseSha)) return tree;
    // Fetches into one mirror run one after another: git would refuse a second one's ref update meanwhile.
    const fetched = this.serial(where, () => this.fetchBase(where, repo, baseSha));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<"waiting">((resolve) => (timer = setTimeout(() => resolve("waiting"), this.settings.waitMs)));
    const outcome = await Promise.race([fetched.then(() => "fetched" as const, (err: unknown) => err as Error), waited]);
    clearTimeout(timer);
    if (outcome === "fetched") return tree;
    if (outcome === "waiting") return { tree: null, why: `fetching the base commit into the app's mirror took longer than ${seconds(this.settings.waitMs)} (it goes on for later reviews)` };
    // Another replica's fetch (a shared MIRROR_DIR) may have brought it all the same.
    if (await this.hasCommit(where, baseSha)) return tree;
    return { tree: null, why: `the base commit could not be fetched into the app's mirror: ${outcome.message}` };
  }

  /** Resolves when no build, fetch or upkeep is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Stops every running git (a half-built mirror is removed) and waits for the rest to settle. */
  async close(): Promise<void> {
    this.closed = true;
    for (const child of this.children) killGroup(child);
    await this.idle();
  }

  private startBuild(where: string, repo: MirrorRepo, baseSha: string): void {
    const build = this.build(where, repo, baseSha)
      .catch((err: unknown) => {
        const why = (err as Error).message;
        this.failedBuilds.set(where, { at: this.now(), why });
        this.log.warn({ repository: `${repo.owner}/${repo.repo}`, outcome: "failed", reason: why }, "mirror build failed");
      })
      .finally(() => this.building.delete(where));
    this.building.set(where, build);
    this.track(build);
  }

  private async build(where: string, repo: MirrorRepo, baseSha: string): Promise<void> {
    await this.buildSlot();
    const started = performance.now();
    const repository = `${repo.owner}/${repo.repo}`;
    // In the same directory as the mirror, so that the rename is atomic.
    const tmp = `${where}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      if (this.closed) throw new MirrorError("the app is shutting down");
      await mkdir(path.dirname(where), { recursive: true });
      await this.removeStale(where);
      // --template= copies no sample hooks (hooks are off all the same: core.hooksPath).
      await this.git(["init", "--quiet", "--bare", "--template=", tmp], { cwd: path.dirname(where) });
      await this.fetchInto(tmp, repo, baseSha);
      try {
        await rename(tmp, where);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
        // Another replica sharing MIRROR_DIR placed its build first: keep that one.
        this.log.info({ repository, outcome: "built elsewhere", ms: Math.round(performance.now() - started) }, "mirror built");
        return;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
      this.releaseBuildSlot();
    }
    this.failedBuilds.delete(where);
    this.log.info({ repository, outcome: "built", base: baseSha, ms: Math.round(performance.now() - started), ...(await diskOf(where)) }, "mirror built");
    this.upkeep(where, repository);
  }

  private async fetchBase(where: string, repo: MirrorRepo, baseSha: string): Promise<void> {
    // Queued behind another review's fetch, which may have brought it.
    if (await this.hasCommit(where, baseSha)) return;
    const started = performance.now();
    const repository = `${repo.owner}/${repo.repo}`;
    const before = await diskOf(where);
    try {
      await this.fetchInto(where, repo, baseSha);
    } catch (err) {
      this.log.warn({ repository, outcome: "failed", base: baseSha, ms: Math.round(performance.now() - started), reason: (err as Error).message }, "mirror fetch failed");
      throw err;
    }
    await this.dropOldBases(where);
    const after = await diskOf(where);
    this.log.info({ repository, outcome: "fetched", base: baseSha, ms: Math.round(performance.now() - started), ...after, addedBytes: after.diskBytes - before.diskBytes }, "mirror fetched");
    this.upkeep(where, repository);
  }

  /** Fetches the history of one commit, keeping it under a ref of its own. */
  private async fetchInto(gitDir: string, repo: MirrorRepo, sha: string): Promise<void> {
    let token: string;
    try {
      token = await this.token(repo);
    } catch (err) {
      throw new MirrorError(`no token to fetch with: ${(err as Error).message}`);
    }
    const url = `${trimEndChar(this.settings.gitBase, "/")}/${repo.owner}/${repo.repo}.git`;
    // A commit id, not a branch: the review needs this commit, whatever the branch has become since.
    try {
      await this.git(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head", "--no-auto-maintenance", "--no-show-forced-updates", url, `+${sha}:${BASE_REFS}/${sha}`], { gitDir, token });
    } catch (err) {
      // The token may be what failed (revoked, the app's access changed): the next fetch asks for a new one.
      this.token.forget?.(repo);
      throw err;
    }
  }

  /** A commit-graph with changed-path Bloom filters (path-limited `git log` reads them), and packs kept few. */
  private upkeep(where: string, repository: string): void {
    if (this.maintaining.has(where) || this.closed) return;
    this.maintaining.add(where);
    const started = performance.now();
    const work = (async () => {
      // Geometric repacking merges the small packs fetches leave, never rewriting the big one.
      await this.git(["repack", "-d", "-q", "--geometric=2"], { gitDir: where });
      // --split adds a layer for the new commits rather than rewriting a kernel's million.
      await this.git(["commit-graph", "write", "--reachable", "--changed-paths", "--split", "--no-progress"], { gitDir: where });
      this.log.info({ repository, outcome: "maintained", ms: Math.round(performance.now() - started), ...(await diskOf(where)) }, "mirror upkeep");
    })()
      .catch((err: unknown) => this.log.warn({ repository, outcome: "failed", reason: (err as Error).message }, "mirror upkeep failed"))
      .finally(() => this.maintaining.delete(where));
    this.track(work);
  }

  /** Keeps the newest `keepBases` base refs: each review's base would otherwise stay a ref forever. */
  private async dropOldBases(where: string): Promise<void> {
    const refs = (await this.git(["for-each-ref", "--sort=-committerdate", "--format=%(refname)", BASE_REFS], { gitDir: where })).split("\n").filter(Boolean);
    const old = refs.slice(this.settings.keepBases);
    if (old.length === 0) return;
    await this.git(["update-ref", "--stdin"], { gitDir: where, input: old.map((r) => `delete ${r}\n`).join("") });
  }

  /** Temporary build directories left by a process that died mid-build (older than any build may run). */
  private async removeStale(where: string): Promise<void> {
    const dir = path.dirname(where);
    const prefix = `${path.basename(where)}.tmp-`;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith(prefix)) continue;
      const s = await stat(path.join(dir, name)).catch(() => null);
      if (s && this.now() - s.mtimeMs > 2 * this.settings.timeoutMs) await rm(path.join(dir, name), { recursive: true, force: true });
    }
  }

  private async hasCommit(where: string, sha: string): Promise<boolean> {
    try {
      await this.git(["cat-file", "-e", `${sha}^{commit}`], { gitDir: where });
      return true;
    } catch {
      return false;
    }
  }

  private serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    this.track(settled);
    return next;
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  private async buildSlot(): Promise<void> {
    if (this.buildsRunning < this.settings.maxBuilds) {
      this.buildsRunning++;
      return;
    }
    await new Promise<void>((resolve) => this.buildWaiters.push(resolve));
  }

  private releaseBuildSlot(): void {
    const next = this.buildWaiters.shift();
    if (next) next();
    else this.buildsRunning--;
  }

  /**
   * Runs git with nothing of the app's environment (no keys, no secrets),
   * no user or system config, no hooks, no prompt, only the protocol of
   * `gitBase`, and the token (when given) as an HTTP header from the
   * environment: never on a command line (other users see those) nor in
   * the mirror's config. Killed, with its helpers, after `timeoutMs`.
   */
  private git(args: string[], options: { gitDir?: string; cwd?: string; token?: string; input?: string }): Promise<string> {
    const protocol = new URL(this.settings.gitBase).protocol.replace(":", "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.settings.dir,
      LANG: "C",
      LC_ALL: "C",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      GIT_ALLOW_PROTOCOL: protocol,
      GIT_PROTOCOL_FROM_USER: "0",
      GIT_NO_LAZY_FETCH: "1",
    };
    if (options.token) {
      Object.assign(env, {
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "http.extraHeader",
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${options.token}`).toString("base64")}`,
      });
    }
    const config = [
      "core.hooksPath=/dev/null",
      "credential.helper=",
      // The header must not follow a redirect to another host.
      "http.followRedirects=false",
      // A connection that stalls (under 1 KB/s for a minute) is dropped rather than held to the timeout.
      "http.lowSpeedLimit=1000",
      "http.lowSpeedTime=60",
      "protocol.version=2",
      "fetch.writeCommitGraph=false",
      // Every fetch stays one pack (upkeep merges them) rather than thousands of loose objects.
      "fetch.unpackLimit=1",
      "gc.auto=0",
      "maintenance.auto=false",
      "submodule.recurse=false",
      "safe.directory=*",
    ].flatMap((c) => ["-c", c]);
    const gitDir = options.gitDir ? ["--git-dir", options.gitDir] : [];
    // After close() nothing new starts (a queued fetch, a build's next step).
    if (this.closed) return Promise.reject(new MirrorError("the app is shutting down"));
    return new Promise((resolve, reject) => {
      const child = spawn("git", [...gitDir, ...config, ...args], { cwd: options.cwd ?? options.gitDir ?? this.settings.dir, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
      this.children.add(child);
      let out = "";
      let err = "";
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, this.settings.timeoutMs);
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        if (out.length < 1 << 20) out += d;
      });
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        if (err.length < 4096) err += d;
      });
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input ?? "");
      child.once("error", (e) => {
        clearTimeout(timer);
        this.children.delete(child);
        reject(new MirrorError(`git did not start: ${e.message}`));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (code === 0) return resolve(out);
        if (timedOut) return reject(new MirrorError(`git ${args[0]} was stopped after ${seconds(this.settings.timeoutMs)}`));
        if (signal) return reject(new MirrorError(`git ${args[0]} was stopped (${signal})`));
        reject(new MirrorError(firstError(err) ?? `git ${args[0]} exited with ${code}`));
      });
    });
  }
}

/** git's own words for what went wrong, one line, short. */
function firstError(stderr: string): string | null {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith("fatal:") || l.startsWith("error:")) ?? lines[0];
  return line ? line.slice(0, 300) : null;
}

function killGroup(child: ChildProcess): void {
  // fetch runs helpers (git-remote-https, index-pack): stop the whole group.
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Bytes the mirror takes, and what is left on its file system. */
async function diskOf(dir: string): Promise<{ diskBytes: number; freeBytes: number | null }> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await stat(p).catch(() => null))?.size ?? 0;
    }
  };
  await walk(dir);
  const fs = await statfs(dir).catch(() => null);
  return { diskBytes: total, freeBytes: fs ? fs.bavail * fs.bsize : null };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
