// Pull requests: the PR (JSON, patch, diff), its commits and files, reviews
// and review comments.
import { diffHunkFor, lineAtPosition, type FileDiff } from "../diff-lines.js";
import { fail, json, notFound, paginate, toSentence, unprocessable, type Reply } from "../http.js";
import { pullOf, type Ctx, type RouteDef } from "../router.js";
import { commitJson, fileJson, pullJson, reviewCommentJson, reviewJson } from "../shapes.js";
import type { PullRec, ReviewCommentRec, ReviewRec } from "../store.js";
import type { ReviewState } from "../types.js";

const D = "https://docs.github.com/rest/pulls";
const GET_DOC = `${D}/pulls#get-a-pull-request`;
const FILES_DOC = `${D}/pulls#list-pull-requests-files`;
const CREATE_REVIEW_DOC = `${D}/reviews#create-a-review-for-a-pull-request`;

/** GitHub lists at most this many commits / files of a pull request. */
export const MAX_COMMITS = 250;
export const MAX_FILES = 3000;
/** Beyond these the diff and patch media types answer 406. */
export const MAX_DIFF_FILES = 300;
export const MAX_DIFF_LINES = 20000;
export const MAX_BODY = 65536;

function linkBase(ctx: Ctx, rest: string): string {
  return `${ctx.urls.api}/repositories/${ctx.repo.id}${rest}`;
}

function pullKey(ctx: Ctx, p: PullRec): string {
  return `${ctx.repo.owner.toLowerCase()}/${ctx.repo.name.toLowerCase()}#${p.number}`;
}

function getPull(ctx: Ctx): Reply {
  const p = pullOf(ctx, notFound);
  const m = /application\/vnd\.github(\.v3)?\.(patch|diff)\b/.exec(ctx.accept);
  if (!m) return json(200, pullJson(p, ctx.repo, ctx.env.store, ctx.urls));
  const format = m[2] as "patch" | "diff";
  const tooManyFiles = p.files.length > MAX_DIFF_FILES;
  if (ctx.env.tooLarge.has(pullKey(ctx, p)) || tooManyFiles || p.diffLineCount > MAX_DIFF_LINES) {
    fail(
      406,
      tooManyFiles
        ? `Sorry, the diff exceeded the maximum number of files (${MAX_DIFF_FILES}). Consider using 'List pull requests files' API or locally cloning the repository instead.`
        : `Sorry, the diff exceeded the maximum number of lines (${MAX_DIFF_LINES})`,
      FILES_DOC,
      { errors: [{ resource: "PullRequest", field: "diff", code: "too_large" }] },
    );
  }
  return {
    status: 200,
    text: format === "patch" ? p.patch : p.diff,
    contentType: `application/vnd.github.${m[1] ? "v3." : ""}${format}; charset=utf-8`,
    headers: { "x-github-media-type": `github.v3; param=${format}; format=${format}` },
  };
}

function fileDiffOf(p: PullRec, path: string): FileDiff | undefined {
  return p.fileDiffs.find((f) => f.path === path);
}

interface CommentInput {
  path: string;
  body: string;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  position?: number;
  in_reply_to?: number;
}

/** Places one review comment on the diff, or returns GitHub's reason why it cannot be. */
function place(p: PullRec, c: CommentInput): { ok: Omit<ReviewCommentRec, "id" | "reviewId" | "body" | "commitId" | "user" | "inReplyToId" | "createdAt" | "updatedAt"> } | { error: string } {
  const f = fileDiffOf(p, c.path);
  const lines = p.commentable.get(c.path);
  if (!f || !lines) return { error: "Path could not be resolved" };
  if (c.line === undefined && c.position !== undefined) {
    const l = lineAtPosition(f, c.position);
    if (!l || l.kind === "\\") return { error: "Position could not be resolved" };
    const side = l.kind === "-" ? "LEFT" : "RIGHT";
    const line = side === "LEFT" ? l.oldLine! : l.newLine!;
    return { ok: { path: c.path, line, side, startLine: null, startSide: null, position: c.position, diffHunk: diffHunkFor(f, side, line) ?? "" } };
  }
  if (c.line === undefined) return { error: "Line could not be resolved" };
  const side = c.side === "LEFT" ? "LEFT" : c.side === undefined || c.side === "RIGHT" ? "RIGHT" : null;
  if (!side) return { error: "Side is not valid" };
  if (!lines[side].has(c.line)) return { error: "Line could not be resolved" };
  let startLine: number | null = null;
  let startSide: "LEFT" | "RIGHT" | null = null;
  if (c.start_line !== undefined) {
    const ss = c.start_side ?? side;
    if (ss !== "LEFT" && ss !== "RIGHT") return { error: "Start side is not valid" };
    startSide = ss;
    if (!lines[startSide].has(c.start_line)) return { error: "Start line could not be resolved" };
    if (startSide === side && c.start_line >= c.line) return { error: "Start line must precede the end line" };
    const hunkOf = (s: "LEFT" | "RIGHT", n: number) => f.hunks.findIndex((h) => h.lines.some((l) => (s === "RIGHT" ? l.newLine === n : l.oldLine === n)));
    if (hunkOf(startSide, c.start_line) !== hunkOf(side, c.line)) return { error: "Start line must be in the same hunk as the end line" };
    startLine = c.start_line;
  }
  const hunk = diffHunkFor(f, side, c.line) ?? "";
  const pos = f.hunks.flatMap((h) => h.lines).find((l) => (side === "RIGHT" ? l.newLine === c.line : l.oldLine === c.line && l.kind !== "+"));
  return { ok: { path: c.path, line: c.line, side, startLine, startSide, position: pos?.position ?? null, diffHunk: hunk } };
}

const STATE_OF: Record<string, ReviewState> = { COMMENT: "COMMENTED", REQUEST_CHANGES: "CHANGES_REQUESTED", APPROVE: "APPROVED" };

function createReview(ctx: Ctx): Reply {
  const p = pullOf(ctx, notFound);
  const { store } = ctx.env;
  const body = (ctx.body ?? {}) as { commit_id?: string; body?: string; event?: "COMMENT" | "REQUEST_CHANGES" | "APPROVE"; comments?: CommentInput[] };
  const user = store.botLogin;
  const commitId = body.commit_id ?? p.headSha;
  if (commitId !== p.headSha && !p.commits.some((c) => c.sha === commitId)) unprocessable(["The commitOID is not part of the pull request"], CREATE_REVIEW_DOC);
  if ((body.body ?? "").length > MAX_BODY) unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`], CREATE_REVIEW_DOC);
  if (p.user.toLowerCase() === user.toLowerCase() && body.event === "APPROVE") unprocessable(["Review Can not approve your own pull request"], CREATE_REVIEW_DOC);
  if (p.user.toLowerCase() === user.toLowerCase() && body.event === "REQUEST_CHANGES") unprocessable(["Review Can not request changes on your own pull request"], CREATE_REVIEW_DOC);
  const errors: string[] = [];
  const placed = (body.comments ?? []).map((c) => {
    const r = place(p, c);
    if ("error" in r) errors.push(r.error);
    else if (c.body.length > MAX_BODY) errors.push(`Body is too long (maximum is ${MAX_BODY} characters)`);
    return r;
  });
  if (errors.length) unprocessable([toSentence(errors)], CREATE_REVIEW_DOC);
  const now = store.stamp();
  const review: ReviewRec = {
    id: store.nextId(),
    user,
    state: body.event ? STATE_OF[body.event]! : "PENDING",
    event: body.event,
    body: body.body ?? "",
    commitId,
    submittedAt: body.event ? now : null,
  };
  p.reviews.push(review);
  placed.forEach((r, i) => {
    if (!("ok" in r)) return;
    p.reviewComments.push({
      id: store.nextId(),
      reviewId: review.id,
      ...r.ok,
      body: body.comments![i]!.body,
      commitId,
      user,
      inReplyToId: null,
      createdAt: now,
      updatedAt: now,
    });
  });
  return json(200, reviewJson(review, p, ctx.repo, store, ctx.urls));
}

function reviewOf(ctx: Ctx, p: PullRec): ReviewRec {
  const rv = p.reviews.find((r) => r.id === Number(ctx.params.review_id));
  if (!rv) notFound(ctx.route.doc);
  return rv;
}

function commentById(ctx: Ctx): { p: PullRec; c: ReviewCommentRec } {
  const id = Number(ctx.params.comment_id);
  for (const p of ctx.repo.pulls.values()) {
    const c = p.reviewComments.find((x) => x.id === id);
    if (c) return { p, c };
  }
  notFound(ctx.route.doc);
}

const READ: RouteDef["permission"] = [["pull_requests", "read"]];
const WRITE: RouteDef["permission"] = [["pull_requests", "write"]];

export const pullRoutes: RouteDef[] = [
  {
    name: "pulls.list",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls",
    auth: "token",
    permission: READ,
    doc: `${D}/pulls#list-pull-requests`,
    handler(ctx) {
      const state = ctx.query.get("state") ?? "open";
      const all = [...ctx.repo.pulls.values()].filter((p) => state === "all" || p.state === state).sort((a, b) => b.number - a.number);
      const page = paginate(all, ctx.query, linkBase(ctx, "/pulls"));
      return json(200, page.items.map((p) => pullJson(p, ctx.repo, ctx.env.store, ctx.urls)), page.headers);
    },
  },
  { name: "pulls.get", method: "GET", pattern: "/repos/:owner/:repo/pulls/:pull_number", auth: "token", permission: READ, doc: GET_DOC, handler: getPull },
  {
    name: "pulls.listCommits",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/commits",
    auth: "token",
    permission: READ,
    doc: `${D}/pulls#list-commits-on-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const page = paginate(p.commits.slice(0, MAX_COMMITS), ctx.query, linkBase(ctx, `/pulls/${p.number}/commits`));
      return json(200, page.items.map((c) => commitJson(c, ctx.repo, ctx.env.store, ctx.urls)), page.headers);
    },
  },
  {
    name: "pulls.listFiles",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/files",
    auth: "token",
    permission: READ,
    doc: FILES_DOC,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const page = paginate(p.files.slice(0, MAX_FILES), ctx.query, linkBase(ctx, `/pulls/${p.number}/files`));
      return json(200, page.items.map((f) => fileJson(f, p, ctx.repo, ctx.urls)), page.headers);
    },
  },
  {
    name: "pulls.listReviewComments",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/comments",
    auth: "token",
    permission: READ,
    doc: `${D}/comments#list-review-comments-on-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const visible = p.reviewComments.filter((c) => p.reviews.find((r) => r.id === c.reviewId)?.state !== "PENDING");
      const page = paginate(visible, ctx.query, linkBase(ctx, `/pulls/${p.number}/comments`));
      return json(200, page.items.map((c) => reviewCommentJson(c, p, ctx.repo, ctx.env.store, ctx.urls)), page.headers);
    },
  },
  {
    name: "pulls.createReviewComment",
    method: "POST",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/comments",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#create-a-review-comment-for-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const { store } = ctx.env;
      const body = ctx.body as CommentInput & { commit_id?: string };
      const now = store.stamp();
      let placed: ReturnType<typeof place>;
      let inReplyTo: number | null = null;
      if (body.in_reply_to !== undefined) {
        const parent = p.reviewComments.find((c) => c.id === body.in_reply_to);
        if (!parent) fail(404, "Not Found", ctx.route.doc);
        inReplyTo = parent.id;
        placed = { ok: { path: parent.path, line: parent.line, side: parent.side, startLine: parent.startLine, startSide: parent.startSide, position: parent.position, diffHunk: parent.diffHunk } };
      } else {
        placed = place(p, body);
      }
      if ("error" in placed) {
        const field = placed.error.startsWith("Path") ? "path" : "line";
        fail(422, "Validation Failed", ctx.route.doc, {
          errors: [{ resource: "PullRequestReviewComment", code: "custom", field: `pull_request_review_thread.${field}`, message: `pull_request_review_thread.${field} must be part of the diff` }],
        });
      }
      if (body.body.length > MAX_BODY) {
        fail(422, "Validation Failed", ctx.route.doc, { errors: [{ resource: "PullRequestReviewComment", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` }] });
      }
      const c: ReviewCommentRec = { id: store.nextId(), reviewId: null, ...placed.ok, body: body.body, commitId: body.commit_id ?? p.headSha, user: store.botLogin, inReplyToId: inReplyTo, createdAt: now, updatedAt: now };
      const review: ReviewRec = { id: store.nextId(), user: store.botLogin, state: "COMMENTED", event: "COMMENT", body: "", commitId: c.commitId, submittedAt: now };
      c.reviewId = review.id;
      p.reviews.push(review);
      p.reviewComments.push(c);
      return json(201, reviewCommentJson(c, p, ctx.repo, store, ctx.urls), { location: `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}/pulls/comments/${c.id}` });
    },
  },
  {
    name: "pulls.updateReviewComment",
    method: "PATCH",
    pattern: "/repos/:owner/:repo/pulls/comments/:comment_id",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#update-a-review-comment-for-a-pull-request`,
    handler(ctx) {
      const { p, c } = commentById(ctx);
      const body = ctx.body as { body: string };
      if (body.body.length > MAX_BODY) {
        fail(422, "Validation Failed", ctx.route.doc, { errors: [{ resource: "PullRequestReviewComment", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` }] });
      }
      c.body = body.body;
      c.updatedAt = ctx.env.store.stamp();
      return json(200, reviewCommentJson(c, p, ctx.repo, ctx.env.store, ctx.urls));
    },
  },
  {
    name: "pulls.deleteReviewComment",
    method: "DELETE",
    pattern: "/repos/:owner/:repo/pulls/comments/:comment_id",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#delete-a-review-comment-for-a-pull-request`,
    handler(ctx) {
      const { p, c } = commentById(ctx);
      p.reviewComments.splice(p.reviewComments.indexOf(c), 1);
      return { status: 204 };
    },
  },
  {
    name: "pulls.listReviews",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews",
    auth: "token",
    permission: READ,
    doc: `${D}/reviews#list-reviews-for-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const page = paginate(p.reviews, ctx.query, linkBase(ctx, `/pulls/${p.number}/reviews`));
      return json(200, page.items.map((r) => reviewJson(r, p, ctx.repo, ctx.env.store, ctx.urls)), page.headers);
    },
  },
  { name: "pulls.createReview", method: "POST", pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews", auth: "token", permission: WRITE, doc: CREATE_REVIEW_DOC, handler: createReview },
  {
    name: "pulls.getReview",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id",
    auth: "token",
    permission: READ,
    doc: `${D}/reviews#get-a-review-for-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      return json(200, reviewJson(reviewOf(ctx, p), p, ctx.repo, ctx.env.store, ctx.urls));
    },
  },
  {
    name: "pulls.updateReview",
    method: "PUT",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id",
    auth: "token",
    permission: WRITE,
    doc: `${D}/reviews#update-a-review-for-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const rv = reviewOf(ctx, p);
      const body = ctx.body as { body: string };
      if (body.body.length > MAX_BODY) unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`], ctx.route.doc);
      rv.body = body.body;
      return json(200, reviewJson(rv, p, ctx.repo, ctx.env.store, ctx.urls));
    },
  },
  {
    name: "pulls.dismissReview",
    method: "PUT",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/dismissals",
    auth: "token",
    permission: WRITE,
    doc: `${D}/reviews#dismiss-a-review-for-a-pull-request`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const rv = reviewOf(ctx, p);
      if (rv.state !== "APPROVED" && rv.state !== "CHANGES_REQUESTED") unprocessable(["Can not dismiss a commented pull request review"], ctx.route.doc);
      rv.state = "DISMISSED";
      return json(200, reviewJson(rv, p, ctx.repo, ctx.env.store, ctx.urls));
    },
  },
  {
    name: "pulls.listCommentsForReview",
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/comments",
    auth: "token",
    permission: READ,
    doc: `${D}/reviews#list-comments-for-a-pull-request-review`,
    handler(ctx) {
      const p = pullOf(ctx, notFound);
      const rv = reviewOf(ctx, p);
      const page = paginate(
        p.reviewComments.filter((c) => c.reviewId === rv.id),
        ctx.query,
        linkBase(ctx, `/pulls/${p.number}/reviews/${rv.id}/comments`),
      );
      return json(200, page.items.map((c) => reviewCommentJson(c, p, ctx.repo, ctx.env.store, ctx.urls)), page.headers);
    },
  },
];
