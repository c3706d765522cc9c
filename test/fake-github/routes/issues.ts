// Issue side of a pull request: events, labels, comments.
import { fail, json, notFound, paginate, type Reply } from "../http.js";
import type { Ctx, RouteDef } from "../router.js";
import { issueCommentJson, labelEventJson, labelJson } from "../shapes.js";
import type { IssueCommentRec } from "../store.js";

const D = "https://docs.github.com/rest/issues";
const MAX_BODY = 65536;

/** The issue number of the route, or 404 when the repository has no such issue or pull request. */
function issueOf(ctx: Ctx): number {
  const n = Number(ctx.params.issue_number);
  const r = ctx.repo;
  if (!Number.isInteger(n) || !(r.pulls.has(n) || r.labels.has(n) || r.labelEvents.some((e) => e.issue === n) || r.issueComments.some((c) => c.issue === n))) {
    notFound(ctx.route.doc);
  }
  return n;
}

function labelsReply(ctx: Ctx, issue: number, status = 200): Reply {
  return json(
    status,
    (ctx.repo.labels.get(issue) ?? []).map((l) => labelJson(l, ctx.repo, ctx.urls)),
  );
}

function tooLong(ctx: Ctx, body: string): void {
  if (body.length > MAX_BODY) {
    fail(422, "Validation Failed", ctx.route.doc, {
      errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: `Body is too long (maximum is ${MAX_BODY} characters)` }],
    });
  }
}

function commentById(ctx: Ctx): IssueCommentRec {
  const c = ctx.repo.issueComments.find((x) => x.id === Number(ctx.params.comment_id));
  if (!c) notFound(ctx.route.doc);
  return c;
}

const READ: RouteDef["permission"] = [
  ["issues", "read"],
  ["pull_requests", "read"],
];
const WRITE: RouteDef["permission"] = [
  ["issues", "write"],
  ["pull_requests", "write"],
];

export const issueRoutes: RouteDef[] = [
  {
    name: "issues.listEvents",
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/:issue_number/events",
    auth: "token",
    permission: READ,
    doc: `${D}/events#list-issue-events`,
    handler(ctx) {
      const n = issueOf(ctx);
      const events = ctx.repo.labelEvents.filter((e) => e.issue === n).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
      const page = paginate(events, ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}/issues/${n}/events`);
      return json(200, page.items.map((e) => labelEventJson(e, ctx.repo, ctx.env.store, ctx.urls, ctx.env.app)), page.headers);
    },
  },
  {
    name: "issues.listLabelsOnIssue",
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/:issue_number/labels",
    auth: "token",
    permission: READ,
    doc: `${D}/labels#list-labels-for-an-issue`,
    handler(ctx) {
      const n = issueOf(ctx);
      const page = paginate(ctx.repo.labels.get(n) ?? [], ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}/issues/${n}/labels`);
      return json(200, page.items.map((l) => labelJson(l, ctx.repo, ctx.urls)), page.headers);
    },
  },
  {
    name: "issues.addLabels",
    method: "POST",
    pattern: "/repos/:owner/:repo/issues/:issue_number/labels",
    auth: "token",
    permission: WRITE,
    doc: `${D}/labels#add-labels-to-an-issue`,
    handler(ctx) {
      const n = issueOf(ctx);
      const b = ctx.body as { labels?: (string | { name: string })[] } | (string | { name: string })[] | string;
      const list = Array.isArray(b) ? b : typeof b === "string" ? [b] : (b.labels ?? []);
      const { store } = ctx.env;
      for (const l of list) {
        const name = typeof l === "string" ? l : l.name;
        if (!(ctx.repo.labels.get(n) ?? []).includes(name)) {
          store.labelEvent(ctx.repo, n, { label: name, actor: store.botLogin, event: "labeled", createdAt: store.stamp() });
        }
      }
      return labelsReply(ctx, n);
    },
  },
  {
    name: "issues.removeLabel",
    method: "DELETE",
    pattern: "/repos/:owner/:repo/issues/:issue_number/labels/:name",
    auth: "token",
    permission: WRITE,
    doc: `${D}/labels#remove-a-label-from-an-issue`,
    handler(ctx) {
      const n = issueOf(ctx);
      const name = ctx.params.name ?? "";
      const current = ctx.repo.labels.get(n) ?? [];
      if (!current.includes(name)) fail(404, "Label does not exist", ctx.route.doc);
      const { store } = ctx.env;
      store.labelEvent(ctx.repo, n, { label: name, actor: store.botLogin, event: "unlabeled", createdAt: store.stamp() });
      return labelsReply(ctx, n);
    },
  },
  {
    name: "issues.listComments",
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "token",
    permission: READ,
    doc: `${D}/comments#list-issue-comments`,
    handler(ctx) {
      const n = issueOf(ctx);
      const page = paginate(
        ctx.repo.issueComments.filter((c) => c.issue === n),
        ctx.query,
        `${ctx.urls.api}/repositories/${ctx.repo.id}/issues/${n}/comments`,
      );
      return json(200, page.items.map((c) => issueCommentJson(c, ctx.repo, ctx.env.store, ctx.urls, ctx.env.app)), page.headers);
    },
  },
  {
    name: "issues.createComment",
    method: "POST",
    pattern: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#create-an-issue-comment`,
    handler(ctx) {
      const n = issueOf(ctx);
      const { store } = ctx.env;
      const body = (ctx.body as { body: string }).body;
      tooLong(ctx, body);
      const now = store.stamp();
      const c: IssueCommentRec = { id: store.nextId(), issue: n, user: store.botLogin, body, createdAt: now, updatedAt: now };
      ctx.repo.issueComments.push(c);
      return json(201, issueCommentJson(c, ctx.repo, store, ctx.urls, ctx.env.app), {
        location: `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}/issues/comments/${c.id}`,
      });
    },
  },
  {
    name: "issues.updateComment",
    method: "PATCH",
    pattern: "/repos/:owner/:repo/issues/comments/:comment_id",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#update-an-issue-comment`,
    handler(ctx) {
      const c = commentById(ctx);
      const body = (ctx.body as { body: string }).body;
      tooLong(ctx, body);
      c.body = body;
      c.updatedAt = ctx.env.store.stamp();
      return json(200, issueCommentJson(c, ctx.repo, ctx.env.store, ctx.urls, ctx.env.app));
    },
  },
  {
    name: "issues.deleteComment",
    method: "DELETE",
    pattern: "/repos/:owner/:repo/issues/comments/:comment_id",
    auth: "token",
    permission: WRITE,
    doc: `${D}/comments#delete-an-issue-comment`,
    handler(ctx) {
      const c = commentById(ctx);
      ctx.repo.issueComments.splice(ctx.repo.issueComments.indexOf(c), 1);
      return { status: 204 };
    },
  },
];
