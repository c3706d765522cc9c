import { readMarkers, type PostedState } from "../review/markers.js";
import type { AppIdentity } from "./identity.js";
import { CHECK_NAME } from "./publish.js";
import type { Octokit, PullRef } from "./types.js";

// What is already on GitHub for this head, read right before posting, in one
// GraphQL request: the pull request's head now (a review is only posted for
// the head it was built from), the markers in the app's own reviews (so
// nothing is posted twice, whichever run or replica posted it), and the app's
// check run on the head (updated rather than posted again). Over REST that is
// three requests: the pull request, its reviews, the head's check runs.

const QUERY = /* GraphQL */ `
  query PatchwardenPosted($owner: String!, $repo: String!, $number: Int!, $head: GitObjectID!, $appId: Int!, $check: String!, $after: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        headRefOid
        reviews(first: 100, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            author {
              __typename
              login
            }
            body
            submittedAt
          }
        }
      }
      head: object(oid: $head) {
        ... on Commit {
          checkSuites(first: 10, filterBy: { appId: $appId }) {
            nodes {
              checkRuns(first: 1, filterBy: { checkName: $check, checkType: LATEST }) {
                nodes {
                  databaseId
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Answer {
  repository: {
    pullRequest: {
      headRefOid: string;
      reviews: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ({ author: { __typename: string; login: string } | null; body: string; submittedAt: string | null } | null)[] };
    } | null;
    head: { checkSuites?: { nodes: ({ checkRuns: { nodes: ({ databaseId: number | null } | null)[] } } | null)[] } } | null;
  } | null;
}

export interface OnGitHub {
  /** The pull request's head as GitHub has it now. */
  headSha: string;
  /** What the app's own reviews say it posted. */
  posted: PostedState;
  /** The app's check run on the head, if there is one. */
  checkRunId: number | null;
  calls: number;
}

/**
 * Reads what is on GitHub for `headSha`. Anyone can write the marker text,
 * and other apps' bots are Bots too: only the app's own bot counts (GraphQL
 * names it by the app's slug, REST as `<slug>[bot]`; either is taken, from a
 * Bot only). A pull request with more than 100 reviews costs a call per 100.
 */
export async function readOnGitHub(octokit: Octokit, pull: PullRef, headSha: string, self: AppIdentity): Promise<OnGitHub> {
  let calls = 0;
  let after: string | null = null;
  let head: string | null = null;
  let checkRunId: number | null = null;
  const ours: { body: string; at: string | null }[] = [];
  for (;;) {
    const data: Answer = await octokit.graphql<Answer>(QUERY, { owner: pull.owner, repo: pull.repo, number: pull.pull_number, head: headSha, appId: self.id, check: CHECK_NAME, after });
    calls++;
    const pr = data.repository?.pullRequest;
    if (!data.repository || !pr) throw new Error(`GraphQL answered without pull request ${pull.owner}/${pull.repo}#${pull.pull_number}`);
    if (head === null) {
      head = pr.headRefOid;
      const ids = (data.repository.head?.checkSuites?.nodes ?? []).flatMap((s) => (s?.checkRuns.nodes ?? []).map((r) => r?.databaseId ?? null)).filter((id): id is number => id !== null);
      checkRunId = ids.length ? Math.max(...ids) : null;
    }
    for (const r of pr.reviews.nodes) {
      if (!r?.author || r.author.__typename !== "Bot" || (r.author.login !== self.slug && r.author.login !== self.login)) continue;
      if (r.body.includes("<!-- patchwarden:review")) ours.push({ body: r.body, at: r.submittedAt });
    }
    if (!pr.reviews.pageInfo.hasNextPage || !pr.reviews.pageInfo.endCursor) break;
    after = pr.reviews.pageInfo.endCursor;
  }
  return { headSha: head, posted: readMarkers(ours), checkRunId, calls };
}
