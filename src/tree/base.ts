import type { PatchInput } from "../patch/series.js";
import { gitBounded } from "./git-bounded.js";
import type { TreeBase } from "./gather.js";

// Which commit a series applies to, found without applying anything: the
// start of a git range, a `base-commit:` line (git format-patch --base, b4),
// or the repository's HEAD when the patches' `index` lines name the blobs
// HEAD has. Never a guess: when none holds, there is no tree, and why.

export type BaseResult = { base: TreeBase } | { base: null; why: string };

const TIMEOUT_MS = 5000;

async function git(repo: string, args: string[]): Promise<string[] | null> {
  const r = await gitBounded(repo, args, { deadline: Date.now() + TIMEOUT_MS, maxLines: 100000 });
  return r.failed || r.stopped ? null : r.lines;
}

/** A full commit id for a revision, or null. */
async function commitOf(repo: string, rev: string): Promise<string | null> {
  const out = await git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  const sha = out?.[0]?.trim();
  return sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
}

/** The base of `--git RANGE`: A of A..B, the merge base of A...B, the parent of a single commit. */
export async function baseOfRange(repo: string, range: string): Promise<BaseResult> {
  const three = range.indexOf("...");
  if (three !== -1) {
    const out = await git(repo, ["merge-base", "--end-of-options", range.slice(0, three) || "HEAD", range.slice(three + 3) || "HEAD"]);
    const sha = out?.[0]?.trim();
    return sha ? { base: { repo, commit: sha, from: `the merge base of ${range}` } } : { base: null, why: `${range} has no merge base` };
  }
  const two = range.indexOf("..");
  const start = two === -1 ? `${range}^` : range.slice(0, two) || "HEAD";
  const sha = await commitOf(repo, start);
  if (!sha) return { base: null, why: two === -1 ? `${range} has no parent to compare with` : `${start} is not a commit of ${repo}` };
  return { base: { repo, commit: sha, from: two === -1 ? `the parent of ${range}` : `the start of ${range}` } };
}

/** A `base-commit:` line anywhere in the input (after a patch's diff, or in a cover letter). */
export function baseCommitLine(text: string): string | null {
  let at = text.indexOf("base-commit:");
  while (at !== -1) {
    if (at === 0 || text[at - 1] === "\n") {
      const end = text.indexOf("\n", at);
      const value = text.slice(at + "base-commit:".length, end === -1 ? undefined : end).trim();
      if (/^[0-9a-f]{40}$/.test(value)) return value;
    }
    at = text.indexOf("base-commit:", at + 1);
  }
  return null;
}

/** Per path, the blob its first change in the input starts from (`index 1a2b3c4..5d6e7f8`). */
export function preimageBlobs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let path: string | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) {
      // `diff --git a/x b/x`: the old path; a quoted or spaced name is skipped (no verdict from it).
      const rest = line.slice(11);
      const space = rest.indexOf(" b/");
      path = rest.startsWith("a/") && space !== -1 ? rest.slice(2, space) : null;
      continue;
    }
    if (path && line.startsWith("index ")) {
      const m = /^index ([0-9a-f]{7,64})\.\.[0-9a-f]{7,64}/.exec(line);
      if (m && !/^0+$/.test(m[1]!) && !out.has(path)) out.set(path, m[1]!);
      path = null;
    }
  }
  return out;
}

/**
 * The base of patch files checked in a repository: their `base-commit:`
 * when the repository has it, else HEAD when every file's first `index`
 * line starts from the blob HEAD has at that path.
 */
export async function baseOfPatches(repo: string, inputs: PatchInput[]): Promise<BaseResult> {
  const text = inputs.map((i) => Buffer.from(i.bytes).toString("latin1")).join("\n");
  const named = baseCommitLine(text);
  if (named) {
    const sha = await commitOf(repo, named);
    if (sha) return { base: { repo, commit: sha, from: "its base-commit: line" } };
  }
  const blobs = preimageBlobs(text);
  if (blobs.size === 0) return { base: null, why: named ? `its base-commit ${named.slice(0, 12)} is not in ${repo}, and it has no index lines to match` : "it names no base-commit: and has no index lines" };
  const head = await commitOf(repo, "HEAD");
  if (!head) return { base: null, why: `${repo} has no HEAD commit` };
  const listed = await git(repo, ["ls-tree", "--full-tree", head, "--", ...blobs.keys()]);
  const have = new Map<string, string>();
  for (const rec of listed ?? []) {
    const tab = rec.indexOf("\t");
    const oid = rec.slice(0, tab).split(" ")[2];
    if (tab !== -1 && oid) have.set(rec.slice(tab + 1), oid);
  }
  const mismatch = [...blobs].find(([path, blob]) => !have.get(path)?.startsWith(blob));
  if (mismatch) return { base: null, why: `${named ? `its base-commit ${named.slice(0, 12)} is not in ${repo}, and ` : "it names no base-commit:, and "}its index lines do not match HEAD (${mismatch[0]})` };
  return { base: { repo, commit: head, from: "HEAD (the patches' index lines match it)" } };
}
