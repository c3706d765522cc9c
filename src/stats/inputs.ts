import { readFile } from "node:fs/promises";
import path from "node:path";
import { gitOutput } from "../history/git-run.js";
import { InputError } from "../patch/errors.js";
import { readGitRange } from "../patch/git.js";
import type { PatchInput } from "../patch/series.js";
import { splitFormatPatch } from "./split.js";

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
 * `format-patch` that `check --git` runs. A range whose patches fit in the
 * input limit is read by one git process and cut per commit; a longer one
 * (a kernel release is hundreds of MB) one commit at a time, so it is never
 * held whole. Starting git once per commit costs ~6 ms each.
 */
export async function gitInputs(range: string, repo: string, maxBytes: number): Promise<StatsInput[]> {
  const shas = await listCommits(range, repo);
  return (await wholeRange(range, repo, maxBytes, shas)) ?? shas.map((sha) => ({ name: sha, load: () => readGitRange(sha, repo, maxBytes) }));
}

async function wholeRange(range: string, repo: string, maxBytes: number, shas: string[]): Promise<StatsInput[] | null> {
  if (shas.length < 2) return null;
  let bytes: Buffer;
  try {
    bytes = Buffer.from((await readGitRange(range, repo, maxBytes)).bytes);
  } catch (err) {
    if (err instanceof InputError) return null; // too long, or git failed: one commit at a time says which
    throw err;
  }
  const commits = splitFormatPatch(bytes);
  // Only when the cut finds exactly the commits listed: a message quoting a
  // format-patch header line must not merge or split commits.
  const expected = new Set(shas);
  if (commits.length !== shas.length || !commits.every((c) => expected.delete(c.sha))) return null;
  return commits.map((c) => ({ name: c.sha, load: () => Promise.resolve({ name: `git ${c.sha}`, bytes: c.bytes }) }));
}

async function listCommits(range: string, repo: string): Promise<string[]> {
  // A single revision means that one commit, as for `check --git REV`.
  const args = range.includes("..") ? ["rev-list", "--no-merges", "--reverse"] : ["rev-list", "--no-merges", "--no-walk"];
  const { stdout } = await gitOutput(repo, [...args, "--end-of-options", range]);
  const shas = stdout.toString("utf8").split("\n").filter(Boolean);
  if (shas.length === 0) throw new InputError(`git ${range}`, null, "the range contains no commits (merges are skipped)");
  return shas;
}
