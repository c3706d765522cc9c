import { guardConfigReads } from "../github/config.js";
import { knowsBaseMaintainers } from "../github/maintainers.js";
import { repoConfigReader } from "../github/pull-state.js";
import { readPullView } from "../github/pull-view.js";
import type { Mirrors } from "../github/mirror.js";
import { respectRetryAfter } from "../github/rate-limit.js";
import { statusOf, type Octokit } from "../github/types.js";
import type { Analyzer } from "./review-pool.js";
import { jobKey, type Attempt, type ReviewJob } from "./review-job.js";
import { reportGaveUp, ReviewFailed, reviewPull, type PullEvent, type ReviewOutcome } from "./review-pull.js";

export interface RunDeps {
  /** An Octokit authenticated as the installation (Probot's `app.auth(id)`). */
  auth: (installation: number) => Promise<Octokit>;
  analyzer: Analyzer;
  now: () => Date;
  /** The app's mirrors (the base trees the rules read); absent, reviews run without the tree. */
  mirror?: Mirrors;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void; error(o: object, msg: string): void };
  onReviewed?: (event: PullEvent, outcome: { calls: number; conclusion: string | null; ms: number; latencyMs: number }) => void;
  /** A job that ended without a review: a failing check (`failed`) or, after its last attempt, a neutral one (`gave up`). */
  onFailed?: (outcome: "failed" | "gave up") => void;
}

/**
 * Runs one queued job: reads the pull request as it is now, drops the job
 * when the head has moved on (a newer head has its own job), reviews, and
 * checks the head again before posting (reviewPull). Throws to ask the queue
 * for a retry.
 */
export async function runReview(job: ReviewJob, attempt: Attempt, deps: RunDeps): Promise<void> {
  const pull = { owner: job.owner, repo: job.repo, pull_number: job.pull_number };
  const ids = { delivery: job.delivery, repository: `${job.owner}/${job.repo}`, pull: job.pull_number, head: job.headSha, job: jobKey(job), attempt: attempt.number };
  const started = performance.now();
  let event: PullEvent | null = null;
  let octokit: Octokit | null = null;
  try {
    octokit = await deps.auth(job.installation);
    // Registered first, so inside the waits of respectRetryAfter: each request sent counts.
    const calls = countRequests(octokit);
    respectRetryAfter(octokit);
    guardConfigReads(octokit);
    // With the pull request: its config, who added its labels, and MAINTAINERS at the base the webhook named.
    const now = await readPullView(octokit, pull, job.baseSha ? { baseSha: job.baseSha, haveMaintainers: knowsBaseMaintainers(pull, job.baseSha) } : {});
    if (now.state !== "open" || now.headSha !== job.headSha) {
      deps.log.info({ ...ids, outcome: now.state !== "open" ? "closed" : "superseded", ms: Math.round(performance.now() - started) }, "review skipped");
      return;
    }
    event = {
      action: job.action,
      pull,
      headSha: job.headSha,
      baseSha: now.baseSha,
      headRef: now.headRef,
      draft: now.draft,
      labels: now.labels,
      commits: now.commits,
      changedFiles: now.changedFiles,
      labelEvents: now.labelEvents,
      ...(job.label ? { label: job.label } : {}),
    };
    const client = octokit;
    const outcome: ReviewOutcome = await reviewPull(event, {
      octokit: client,
      config: now.config(repoConfigReader(client, pull)),
      now: deps.now,
      analyzer: deps.analyzer,
      ...(attempt.stillOwned ? { stillOwned: attempt.stillOwned } : {}),
      ...(deps.mirror ? { baseTree: (e: PullEvent) => deps.mirror!.baseTree({ installation: job.installation, owner: job.owner, repo: job.repo }, e.baseSha) } : {}),
    });
    const ms = performance.now() - started;
    const latencyMs = Date.now() - job.receivedAt;
    deps.log.info({ ...ids, outcome: outcome.skipped ?? outcome.conclusion, calls: calls(), ms: Math.round(ms), latencyMs }, "reviewed");
    deps.onReviewed?.(event, { calls: calls(), conclusion: outcome.conclusion, ms, latencyMs });
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    if (err instanceof ReviewFailed) {
      // Already told on the pull request (a failing check).
      deps.log.error({ ...ids, outcome: "failed", ms, err: err.cause }, "review failed");
      deps.onFailed?.("failed");
      return;
    }
    if (!attempt.final && retryable(err)) {
      deps.log.warn({ ...ids, outcome: "retrying", ms, err }, "review attempt failed");
      throw err;
    }
    deps.log.error({ ...ids, outcome: "gave up", ms, err }, "review failed");
    deps.onFailed?.("gave up");
    // Before the pull request was read, what is known of it is the job.
    const told = event ?? { action: job.action, pull, headSha: job.headSha, baseSha: "", headRef: "", draft: false, labels: [], commits: 0, changedFiles: 0 };
    if (octokit) await reportGaveUp({ octokit, config: repoConfigReader(octokit, pull), now: deps.now, analyzer: deps.analyzer }, told, attempt.number, err).catch(() => undefined);
  }
}

/** Tells the pull request (a neutral check) of a job the queue gave up on by itself. */
export async function reportQueueGaveUp(job: ReviewJob, err: unknown, runs: number, deps: RunDeps): Promise<void> {
  const octokit = await deps.auth(job.installation);
  const pull = { owner: job.owner, repo: job.repo, pull_number: job.pull_number };
  const event: PullEvent = { action: job.action, pull, headSha: job.headSha, baseSha: "", headRef: "", draft: false, labels: [], commits: 0, changedFiles: 0 };
  deps.log.error({ delivery: job.delivery, repository: `${job.owner}/${job.repo}`, pull: job.pull_number, head: job.headSha, job: jobKey(job), outcome: "gave up", err }, "review failed");
  deps.onFailed?.("gave up");
  await reportGaveUp({ octokit, config: repoConfigReader(octokit, pull), now: deps.now, analyzer: deps.analyzer }, event, runs, err);
}

/**
 * Counts the requests this Octokit sends to GitHub's API. The installation
 * token is asked for by the auth strategy with a request of its own, which is
 * not counted; GET /app (the app's identity, once per process) is.
 */
function countRequests(octokit: Octokit): () => number {
  let n = 0;
  octokit.hook.wrap("request", (request, options) => {
    n++;
    return request(options);
  });
  return () => n;
}

/** GitHub's 5xx, rate limits that outlasted our waiting, timeouts and network errors: worth another try later. */
export function retryable(err: unknown): boolean {
  // GraphQL answers HTTP 200 with typed errors: a pull request or repository that is gone, or a permission the app lacks, stays so.
  const e = err as { name?: string; errors?: { type?: string }[] };
  if (e?.name === "GraphqlResponseError" && e.errors?.length && e.errors.every((x) => x.type === "NOT_FOUND" || x.type === "FORBIDDEN")) return false;
  const status = statusOf(err);
  if (status === null) return true;
  return status >= 500 || status === 403 || status === 429 || status === 408;
}
