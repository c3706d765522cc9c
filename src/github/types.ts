import type { ProbotOctokit } from "probot";

/** The Octokit a Probot context hands out, authenticated as the installation. */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRef extends RepoRef {
  pull_number: number;
}

/** GitHub's HTTP status of a failed request, if it was one. */
export function statusOf(err: unknown): number | null {
  return typeof err === "object" && err !== null && "status" in err && typeof (err as { status: unknown }).status === "number" ? (err as { status: number }).status : null;
}
