import type { InputLimits } from "../patch/series.js";
import { parseSeries } from "../patch/series.js";
import type { Series } from "../patch/types.js";
import { statusOf, type Octokit, type PullRef } from "./types.js";

// The series of a pull request, in as few calls as possible: the patch media
// type gives every commit as `git format-patch` text in one call. When GitHub
// refuses (a diff too large: 406, or 422), the paginated commits and files
// endpoints stand in, and what they cannot give is named as unread.

/** GitHub lists at most this many commits and files of a pull request. */
export const MAX_LISTED_COMMITS = 250;
export const MAX_LISTED_FILES = 3000;

export interface FetchedSeries {
  series: Series;
  /** Parts of the pull request that could not be read, in words for the check run. */
  unread: string[];
  /** API calls made. */
  calls: number;
}

export async function fetchPullSeries(octokit: Octokit, pull: PullRef, expected: { commits: number; files: number }, limits: InputLimits): Promise<FetchedSeries> {
  try {
    const res = await octokit.rest.pulls.get({ ...pull, mediaType: { format: "patch" }, request: { retries: 0 } });
    const text = res.data as unknown as string;
    const series = parseSeries([{ name: `${pull.owner}/${pull.repo}#${pull.pull_number}`, bytes: Buffer.from(text, "utf8") }], limits);
    const unread = series.commits.length < expected.commits ? [`${expected.commits - series.commits.length} of ${expected.commits} commits were missing from the patch GitHub served`] : [];
    return { series, unread, calls: 1 };
  } catch (err) {
    const status = statusOf(err);
    if (status !== 406 && status !== 422) throw err;
    const fallback = await fromListings(octokit, pull, expected, limits);
    return { ...fallback, calls: fallback.calls + 1, unread: [`GitHub would not serve the whole patch (HTTP ${status}, diff too large): per-commit diffs are not available, so every change is checked as part of the last commit`, ...fallback.unread] };
  }
}

async function fromListings(octokit: Octokit, pull: PullRef, expected: { commits: number; files: number }, limits: InputLimits): Promise<FetchedSeries> {
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
  const series = parseSeries([{ name: `${pull.owner}/${pull.repo}#${pull.pull_number} (listed)`, bytes: Buffer.from(mbox, "utf8") }], limits);
  return { series, unread, calls };
}
