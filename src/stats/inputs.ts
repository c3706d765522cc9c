import path from "node:path";
import { InputError } from "../patch/errors.js";
import { listRangeCommits, readGitRange, streamGitRange } from "../patch/git.js";
import { readInputFile } from "../patch/read-file.js";
import type { PatchInput } from "../patch/series.js";

/** One series to check: named as the user will recognise it, read only when its turn comes. */
export interface StatsInput {
  /** The path as given, or the commit's sha. */
  name: string;
  load(): Promise<PatchInput>;
}

export function fileInputs(files: string[], cwd: string, maxBytes: number): StatsInput[] {
  return files.map((file) => ({
    name: file,
    // Read when its turn comes, at once (src/patch/read-file.ts): a rejected promise for one that cannot be.
    load: async () => ({ name: file, bytes: readInputFile(file, path.resolve(cwd, file), maxBytes) }),
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
  const shas = await listRangeCommits(range, repo);
  if (shas.length === 0) throw new InputError(`git ${range}`, null, "the range contains no commits (merges are skipped)");
  async function* inputs(): AsyncGenerator<StatsInput> {
    const done = new Set<string>();
    // The range's own commits: a cut is made at any of them, a resumed stream's too.
    const expected = new Set(shas);
    const exclude: string[] = [];
    for (;;) {
      try {
        for await (const c of streamGitRange(range, repo, { expected, exclude, maxTotalBytes: Infinity, maxCommitBytes: maxBytes })) {
          if (done.has(c.sha)) continue;
          done.add(c.sha);
          const name = `git ${c.sha}`;
          const bytes = c.bytes;
          yield {
            name: c.sha,
            load: () => (bytes ? Promise.resolve({ name, bytes }) : Promise.reject(new InputError(name, null, `input is ${c.size} bytes, over the limit of ${maxBytes}`))),
          };
        }
        break;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        // git stopped at a commit it cannot show (an object missing from a
        // damaged or partial clone): that one is read alone, so its error is
        // named, and the range goes on without it and what came before it.
        const failed = shas.find((sha) => !done.has(sha));
        if (failed === undefined) break;
        done.add(failed);
        yield { name: failed, load: () => readGitRange(failed, repo, maxBytes) };
        if (!range.includes("..") || exclude.length >= MAX_RESUMES) break;
        exclude.push(failed);
      }
    }
    // Whatever no stream gave (too many failures; an earlier commit that only the failed one reached): one commit at a time.
    for (const sha of shas) if (!done.has(sha)) yield { name: sha, load: () => readGitRange(sha, repo, maxBytes) };
  }
  return { count: shas.length, inputs: inputs() };
}

/** Restarts of a range's stream after a commit git could not show; past that, the rest one commit at a time. */
const MAX_RESUMES = 20;

