import { readFile } from "node:fs/promises";
import path from "node:path";
import { gitOutput } from "../history/git-run.js";
import { InputError } from "../patch/errors.js";
import { readGitRange } from "../patch/git.js";
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
 * gives them (oldest first, merges left out). Each is read with the same
 * read-only `format-patch` that `check --git` runs, one commit at a time, so
 * a long history is never held whole and the input limit applies per commit.
 */
export async function gitInputs(range: string, repo: string, maxBytes: number): Promise<StatsInput[]> {
  const shas = await listCommits(range, repo);
  return shas.map((sha) => ({ name: sha, load: () => readGitRange(sha, repo, maxBytes) }));
}

async function listCommits(range: string, repo: string): Promise<string[]> {
  // A single revision means that one commit, as for `check --git REV`.
  const args = range.includes("..") ? ["rev-list", "--no-merges", "--reverse"] : ["rev-list", "--no-merges", "--no-walk"];
  const { stdout } = await gitOutput(repo, [...args, "--end-of-options", range]);
  const shas = stdout.toString("utf8").split("\n").filter(Boolean);
  if (shas.length === 0) throw new InputError(`git ${range}`, null, "the range contains no commits (merges are skipped)");
  return shas;
}
