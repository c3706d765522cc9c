import { ANNOTATIONS_PER_REQUEST } from "../review/limits.js";
import { fitCheck, type ReviewPlan } from "../review/plan.js";
import { commentsIntoBody } from "../review/unplaced.js";
import { statusOf, type Octokit, type PullRef, type RepoRef } from "./types.js";

export const CHECK_NAME = "patchwarden";

/**
 * The id of this app's check run on `headSha`, if there is one already (a
 * re-run on the same head). Another app may name its check "patchwarden"
 * too: with `appId` only ours is found.
 */
export async function findCheckRun(octokit: Octokit, repo: RepoRef, headSha: string, appId?: number): Promise<number | null> {
  const res = await octokit.rest.checks.listForRef({ ...repo, ref: headSha, check_name: CHECK_NAME, filter: "latest", per_page: 1, ...(appId !== undefined ? { app_id: appId } : {}) });
  return res.data.check_runs[0]?.id ?? null;
}

/**
 * Creates (or updates) the one check run for the head, annotations in
 * batches of 50, at most 4 requests (fitCheck caps the annotations).
 * Returns the calls made.
 */
export async function publishCheck(octokit: Octokit, repo: RepoRef, headSha: string, planned: ReviewPlan["check"], existingId: number | null, now: Date): Promise<number> {
  const check = fitCheck(planned);
  const batches: ReviewPlan["check"]["annotations"][] = [];
  for (let i = 0; i < check.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(check.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (annotations: ReviewPlan["check"]["annotations"]) => ({ title: check.title, summary: check.summary, text: check.text, annotations });
  const common = { status: "completed" as const, conclusion: check.conclusion, completed_at: now.toISOString() };
  let id = existingId;
  if (id === null) {
    const res = await octokit.rest.checks.create({ ...repo, name: CHECK_NAME, head_sha: headSha, ...common, output: output(batches[0] ?? []) });
    id = res.data.id;
  } else {
    await octokit.rest.checks.update({ ...repo, check_run_id: id, ...common, output: output(batches[0] ?? []) });
  }
  for (const batch of batches.slice(1)) await octokit.rest.checks.update({ ...repo, check_run_id: id, output: output(batch) });
  return Math.max(1, batches.length);
}

/**
 * Posts the review. GitHub answers 422 when a comment's line is not part of
 * the diff; then the comments go into the body instead of being lost.
 */
export async function publishReview(octokit: Octokit, pull: PullRef, headSha: string, review: NonNullable<ReviewPlan["review"]>): Promise<number> {
  try {
    await octokit.rest.pulls.createReview({ ...pull, commit_id: headSha, event: review.event, body: review.body, comments: review.comments });
    return 1;
  } catch (err) {
    if (statusOf(err) !== 422 || review.comments.length === 0) throw err;
    const moved = commentsIntoBody(review);
    await octokit.rest.pulls.createReview({ ...pull, commit_id: headSha, event: moved.event, body: moved.body, comments: [] });
    return 2;
  }
}
