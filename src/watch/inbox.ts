import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { readBlobs } from "../census/git-tree.js";
import { gitBounded } from "../tree/git-bounded.js";

// A public-inbox v2 archive: git epochs DIR/git/0.git, 1.git, ..., each
// commit adding one message as the blob `m` at the top of its tree (a
// commit that removes a message has `d` instead). Read with git alone,
// from the object store; nothing in the archive runs.

export interface Epoch {
  number: number;
  dir: string;
}

export async function epochsOf(inbox: string): Promise<Epoch[]> {
  let names: string[];
  try {
    names = await readdir(path.join(inbox, "git"));
  } catch {
    return [];
  }
  return names
    .map((n) => /^(\d+)\.git$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ number: Number(m[1]), dir: path.join(inbox, "git", m[0]) }))
    .sort((a, b) => a.number - b.number);
}

const LIMIT = { deadline: () => Date.now() + 120_000, maxLines: 5_000_000 };

/** Commits of an epoch after `since` (all when null), oldest first. */
export async function newCommits(epoch: Epoch, since: string | null): Promise<string[]> {
  const head = await gitBounded(epoch.dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { deadline: LIMIT.deadline(), maxLines: 2 });
  if (!head.lines[0]) return [];
  const range = since ? `${since}..HEAD` : "HEAD";
  const r = await gitBounded(epoch.dir, ["rev-list", "--reverse", "--end-of-options", range], { deadline: LIMIT.deadline(), maxLines: LIMIT.maxLines });
  if (r.failed) throw new Error(`${epoch.dir}: git rev-list failed: ${r.failed}`);
  return r.lines.filter((l) => /^[0-9a-f]{40,64}$/.test(l));
}

/**
 * The message each commit added, through one `git cat-file --batch`; a
 * commit without `m` (a removal) gives null.
 */
export async function messagesOf(epoch: Epoch, commits: string[]): Promise<(Buffer | null)[]> {
  if (commits.length === 0) return [];
  // Which commits carry an `m`: ls-tree of each would be one process per mail; one batch-check names them all.
  const out: (Buffer | null)[] = commits.map(() => null);
  const present: number[] = [];
  const types = await batchCheck(epoch.dir, commits.map((c) => `${c}:m`));
  types.forEach((t, i) => {
    if (t === "blob") present.push(i);
  });
  await readBlobs(epoch.dir, present.map((i) => `${commits[i]}:m`), (k, body) => {
    out[present[k]!] = body;
  });
  return out;
}

async function batchCheck(repo: string, names: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, "cat-file", "--batch-check=%(objecttype)", "--buffer"], { env: { ...process.env, GIT_NO_LAZY_FETCH: "1", GIT_OPTIONAL_LOCKS: "0" }, stdio: ["pipe", "pipe", "ignore"] });
    let text = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => (text += d));
    child.once("error", reject);
    child.once("close", () => {
      // "<type>" per name, or "<name> missing".
      resolve(text.split("\n").slice(0, names.length).map((l) => (l.endsWith(" missing") ? "missing" : l.trim())));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(`${names.join("\n")}\n`);
  });
}
