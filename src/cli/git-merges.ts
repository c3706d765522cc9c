// git format-patch leaves merges out, and given a merge as the one revision
// (`-1 M`) it shows M's first non-merge ancestor instead: checking "HEAD~1"
// on a merge would silently check another commit. These look first.
import { execFile } from "node:child_process";
import { InputError } from "../patch/errors.js";

function git(repo: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (err, stdout, stderr) =>
      resolve({ ok: !err, out: stdout, err: stderr }),
    );
  });
}

export interface MergeNote {
  sha: string;
  subject: string;
}

/**
 * For a single revision that is a merge: an input error naming it and the
 * range that checks what it merged. For a range: its merges, to be named as
 * skipped. A revision git cannot resolve is left to format-patch to report.
 */
export async function mergesIn(range: string, repo: string): Promise<MergeNote[]> {
  const single = !range.includes("..");
  const args = single ? ["rev-list", "--no-walk", "--merges", "--format=%H %s", "--end-of-options", range] : ["rev-list", "--merges", "--format=%H %s", "--end-of-options", range];
  const r = await git(repo, args);
  if (!r.ok) return [];
  const merges: MergeNote[] = [];
  for (const line of r.out.split("\n")) {
    // --format prints a "commit <sha>" line before each formatted one.
    if (line === "" || line.startsWith("commit ")) continue;
    const space = line.indexOf(" ");
    merges.push({ sha: line.slice(0, space), subject: line.slice(space + 1) });
  }
  if (single && merges.length > 0) {
    const m = merges[0]!;
    const short = m.sha.slice(0, 12);
    throw new InputError(
      `git ${range}`,
      null,
      `${range} is a merge commit (${short} "${m.subject}"): a merge has no patch of its own, and git format-patch would show another commit in its place, so it is not checked. To check what it merged: --git ${short}^1..${short}`,
    );
  }
  return merges;
}
