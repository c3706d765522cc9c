import { statusOf, type Octokit, type PullRef } from "./types.js";

// The series of a pull request, in as few calls as possible: the patch media
// type gives every commit as `git format-patch` text in one call. When GitHub
// refuses (a diff too large: 406, or 422), the paginated commits and files
// endpoints stand in, and what they cannot give is named as unread.
// Only the text is fetched here: reading it is CPU work for the review pool.

/** GitHub lists at most this many commits and files of a pull request. */
export const MAX_LISTED_COMMITS = 250;
export const MAX_LISTED_FILES = 3000;

export interface FetchedPatch {
  /** The series as `git format-patch` text, named for error messages. */
  source: { name: string; text: string };
  /** Parts of the pull request that could not be read, in words for the check run. */
  unread: string[];
  /** API calls made. */
  calls: number;
  /** How many commits the text should hold, when it came whole from GitHub (see `missingCommits`). */
  expectCommits: number | null;
}

export async function fetchPullPatch(octokit: Octokit, pull: PullRef, expected: { commits: number; files: number }): Promise<FetchedPatch> {
  try {
    const res = await octokit.rest.pulls.get({ ...pull, mediaType: { format: "patch" }, request: { retries: 0 } });
    const text = res.data as unknown as string;
    return { source: { name: `${pull.owner}/${pull.repo}#${pull.pull_number}`, text }, unread: [], calls: 1, expectCommits: expected.commits };
  } catch (err) {
    const status = statusOf(err);
    if (status !== 406 && status !== 422) throw err;
    const fallback = await fromListings(octokit, pull, expected);
    return { ...fallback, calls: fallback.calls + 1, unread: [`GitHub would not serve the whole patch (HTTP ${status}, diff too large): per-commit diffs are not available, so every change is checked as part of the last commit`, ...fallback.unread] };
  }
}

/** What the served patch lacked, once it is read: GitHub's patch stops short on a very large series. */
export function missingCommits(fetched: FetchedPatch, commitsRead: number): string[] {
  const expected = fetched.expectCommits;
  return expected !== null && commitsRead < expected ? [`${expected - commitsRead} of ${expected} commits were missing from the patch GitHub served`] : [];
}

async function fromListings(octokit: Octokit, pull: PullRef, expected: { commits: number; files: number }): Promise<FetchedPatch> {
  let calls = 0;
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...pull, per_page: 100 }, (res) => {
    calls++;
    return res.data;
  });
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pull, per_page: 100 }, (res) => {
    calls++;
    return res.data;
  });
  const unread: string[] = [];
  if (expected.commits > commits.length) unread.push(`${expected.commits - commits.length} commits beyond the ${MAX_LISTED_COMMITS} GitHub lists`);
  if (expected.files > files.length) unread.push(`${expected.files - files.length} files beyond the ${MAX_LISTED_FILES} GitHub lists`);
  const diff: string[] = [];
  for (const f of files) {
    const oldPath = f.previous_filename ?? f.filename;
    if (f.patch === undefined) {
      if (f.changes > 0) unread.push(`${f.filename}: no diff served (binary or too large)`);
      continue;
    }
    const from = f.status === "added" ? "/dev/null" : `a/${oldPath}`;
    const to = f.status === "removed" ? "/dev/null" : `b/${f.filename}`;
    diff.push(`diff --git a/${oldPath} b/${f.filename}`, `--- ${from}`, `+++ ${to}`, f.patch.replace(/\n?$/, ""));
  }
  const mbox = commits
    .map((c, i) => {
      const [subject, ...rest] = c.commit.message.split("\n");
      const author = c.commit.author;
      return [
        `From ${c.sha} Mon Sep 17 00:00:00 2001`,
        `From: ${author?.name ?? "unknown"} <${author?.email ?? ""}>`,
        `Date: ${author?.date ?? ""}`,
        `Subject: ${subject}`,
        "",
        rest.join("\n").trim(),
        "---",
        ...(i === commits.length - 1 ? diff : []),
        "",
      ].join("\n");
    })
    .join("\n");
  return { source: { name: `${pull.owner}/${pull.repo}#${pull.pull_number} (listed)`, text: mbox }, unread, calls, expectCommits: null };
}
