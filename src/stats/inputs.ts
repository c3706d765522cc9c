import { readFile } from "node:fs/promises";
import path from "node:path";
import { gitOutput } from "../history/git-run.js";
import { InputError } from "../patch/errors.js";
import { streamGitRange } from "../patch/git.js";
import type { PatchInput } from "../patch/series.js";

/** One series to check: named as the user will recognise it, read only when its turn comes. */
export interface StatsInput {
  /** The path as given, or the commit's sha. */
  name: string;
  load(): Promise<PatchInput>;
}

export function fileInputs(files: string[], cwd: string): StatsInput[] {
  return files.map((file) => ({
    name: file,
    async load() {
      try {
        return { name: file, bytes: await readFile(path.resolve(cwd, file)) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
        throw new InputError(file, null, why);
      }
    },
  }));
}

/**
 * Each commit of a range as its own input, in the order `git format-patch`
 * gives them (oldest first, merges left out), read with the same read-only
 * `format-patch` that `check --git` runs: one git for the whole range, its
 * output cut per commit as it arrives (src/patch/format-patch-cut.ts), so a
 * kernel release (hundreds of MB) is never held whole: one commit at a time.
 * A commit over the input limit is an unreadable input, as a file would be.
 */
export async function gitInputs(range: string, repo: string, maxBytes: number): Promise<{ count: number; inputs: AsyncIterable<StatsInput> }> {
  const shas = await listCommits(range, repo);
  async function* inputs(): AsyncGenerator<StatsInput> {
    for await (const c of streamGitRange(range, repo, { expected: new Set(shas), maxTotalBytes: Infinity, maxCommitBytes: maxBytes })) {
      const name = `git ${c.sha}`;
      const bytes = c.bytes;
      yield {
        name: c.sha,
        load: () => (bytes ? Promise.resolve({ name, bytes }) : Promise.reject(new InputError(name, null, `input is ${c.size} bytes, over the limit of ${maxBytes}`))),
      };
    }
  }
  return { count: shas.length, inputs: inputs() };
}

async function listCommits(range: string, repo: string): Promise<string[]> {
  // A single revision means that one commit, as for `check --git REV`.
  const args = range.includes("..") ? ["rev-list", "--no-merges", "--reverse"] : ["rev-list", "--no-merges", "--no-walk"];
  const { stdout } = await gitOutput(repo, [...args, "--end-of-options", range]);
  const shas = stdout.toString("utf8").split("\n").filter(Boolean);
  if (shas.length === 0) throw new InputError(`git ${range}`, null, "the range contains no commits (merges are skipped)");
  return shas;
}
