import type { Octokit } from "./types.js";

/**
 * What a review needs to know about a pull request now, read from GitHub
 * rather than from the webhook that queued it (src/github/pull-view.ts): a
 * queued job can run seconds or minutes after its webhook (a retry, a replica
 * that died), and the labels, the draft flag and above all the head may have
 * moved since.
 */
export interface PullState {
  state: string;
  headSha: string;
  baseSha: string;
  headRef: string;
  draft: boolean;
  labels: string[];
  commits: number;
  changedFiles: number;
}

/**
 * The repository's `.github/<file>` as Probot's `context.config` reads it
 * (`_extends`, the organisation's `.github` repository), for a job that runs
 * without the webhook's context.
 */
export function repoConfigReader(octokit: Octokit, repo: { owner: string; repo: string }) {
  return {
    async config<T>(fileName: string): Promise<T | null> {
      const { config, files } = await octokit.config.get({ ...repo, path: `.github/${fileName}` });
      return files.some((f) => f.config !== null) ? (config as T) : null;
    },
  };
}
