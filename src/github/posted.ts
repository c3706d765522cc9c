import { readMarkers, type PostedState } from "../review/markers.js";
import type { Octokit, PullRef } from "./types.js";

/**
 * What this app already posted on the pull request, from the markers in its
 * own reviews. Anyone can write the marker text, and other apps' bots are
 * Bots too: only the app's own account (`selfLogin`, exact) counts.
 */
export async function readPosted(octokit: Octokit, pull: PullRef, selfLogin: string): Promise<PostedState & { calls: number }> {
  let calls = 0;
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...pull, per_page: 100 }, (res) => {
    calls++;
    return res.data;
  });
  const ours = reviews.filter((r) => r.user?.type === "Bot" && r.user.login === selfLogin && (r.body ?? "").includes("<!-- patchwarden:review"));
  return { ...readMarkers(ours.map((r) => ({ body: r.body ?? "", at: r.submitted_at ?? null }))), calls };
}
