// Check runs: create, update (annotations appended), get, list for a ref,
// list annotations.
import { fail, json, notFound, paginate, type Reply } from "../http.js";
import type { Ctx, RouteDef } from "../router.js";
import { annotationJson, checkRunJson } from "../shapes.js";
import type { CheckRunRec } from "../store.js";
import type { FakeAnnotation } from "../types.js";

const D = "https://docs.github.com/rest/checks/runs";
const CREATE_DOC = `${D}#create-a-check-run`;
const UPDATE_DOC = `${D}#update-a-check-run`;

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: string;
  started_at?: string;
  conclusion?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: FakeAnnotation[] };
}

function knownSha(ctx: Ctx, sha: string): boolean {
  for (const p of ctx.repo.pulls.values()) {
    if (p.headSha === sha || p.baseSha === sha || p.commits.some((c) => c.sha === sha)) return true;
  }
  return ctx.repo.files.has(sha);
}

/** Checks GitHub makes beyond the schema: the annotation limits its docs state. */
function checkAnnotations(list: readonly FakeAnnotation[] | undefined, doc: string): void {
  (list ?? []).forEach((a, i) => {
    const bad = (field: string) =>
      fail(422, "Validation Failed", doc, { errors: [{ resource: "CheckRun", code: "invalid", field: `output.annotations[${i}].${field}` }] });
    if (a.start_line < 1 || a.end_line < a.start_line) bad("end_line");
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) bad("start_column");
    if (a.title !== undefined && a.title.length > 255) bad("title");
    if (a.message.length > 65535) bad("message");
    if (a.raw_details !== undefined && a.raw_details.length > 65535) bad("raw_details");
  });
}

function applyStatus(c: CheckRunRec, b: CheckRunBody, now: string, doc: string): void {
  if (b.conclusion !== undefined) {
    c.conclusion = b.conclusion;
    c.status = "completed";
  } else if (b.status !== undefined) {
    if (b.status === "completed" && c.conclusion === null) fail(422, `Invalid request.\n\n"conclusion" wasn't supplied.`, doc);
    c.status = b.status;
  }
  if (b.started_at !== undefined) c.startedAt = b.started_at;
  if (c.status === "completed") c.completedAt = b.completed_at ?? c.completedAt ?? now;
}

function runOf(ctx: Ctx): CheckRunRec {
  const c = ctx.repo.checkRuns.find((x) => x.id === Number(ctx.params.check_run_id));
  if (!c) notFound(ctx.route.doc);
  return c;
}

function create(ctx: Ctx): Reply {
  const { store, app } = ctx.env;
  const b = ctx.body as CheckRunBody & { name: string; head_sha: string };
  if (!knownSha(ctx, b.head_sha)) fail(422, `No commit found for SHA: ${b.head_sha}`, CREATE_DOC);
  checkAnnotations(b.output?.annotations, CREATE_DOC);
  const now = store.stamp();
  const suite = ctx.repo.checkRuns.find((c) => c.headSha === b.head_sha)?.checkSuiteId ?? store.nextId();
  const c: CheckRunRec = {
    id: store.nextId(),
    name: b.name,
    headSha: b.head_sha,
    status: "queued",
    conclusion: null,
    externalId: b.external_id ?? null,
    detailsUrl: b.details_url ?? null,
    startedAt: now,
    completedAt: null,
    output: { title: b.output?.title ?? null, summary: b.output?.summary ?? null, text: b.output?.text ?? null },
    annotations: [...(b.output?.annotations ?? [])],
    updates: 0,
    user: store.botLogin,
    checkSuiteId: suite,
  };
  applyStatus(c, b, now, CREATE_DOC);
  ctx.repo.checkRuns.push(c);
  return json(201, checkRunJson(c, ctx.repo, store, ctx.urls, app), { location: `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}/check-runs/${c.id}` });
}

function update(ctx: Ctx): Reply {
  const { store, app } = ctx.env;
  const c = runOf(ctx);
  const b = ctx.body as CheckRunBody;
  checkAnnotations(b.output?.annotations, UPDATE_DOC);
  if (b.name !== undefined) c.name = b.name;
  if (b.details_url !== undefined) c.detailsUrl = b.details_url;
  if (b.external_id !== undefined) c.externalId = b.external_id;
  applyStatus(c, b, store.stamp(), UPDATE_DOC);
  if (b.output) {
    if (b.output.title !== undefined) c.output.title = b.output.title;
    if (b.output.summary !== undefined) c.output.summary = b.output.summary;
    if (b.output.text !== undefined) c.output.text = b.output.text;
    c.annotations.push(...(b.output.annotations ?? []));
  }
  c.updates++;
  return json(200, checkRunJson(c, ctx.repo, store, ctx.urls, app));
}

const READ: RouteDef["permission"] = [["checks", "read"]];
const WRITE: RouteDef["permission"] = [["checks", "write"]];

export const checkRoutes: RouteDef[] = [
  { name: "checks.create", method: "POST", pattern: "/repos/:owner/:repo/check-runs", auth: "token", permission: WRITE, doc: CREATE_DOC, handler: create },
  { name: "checks.update", method: "PATCH", pattern: "/repos/:owner/:repo/check-runs/:check_run_id", auth: "token", permission: WRITE, doc: UPDATE_DOC, handler: update },
  {
    name: "checks.get",
    method: "GET",
    pattern: "/repos/:owner/:repo/check-runs/:check_run_id",
    auth: "token",
    permission: READ,
    doc: `${D}#get-a-check-run`,
    handler: (ctx) => json(200, checkRunJson(runOf(ctx), ctx.repo, ctx.env.store, ctx.urls, ctx.env.app)),
  },
  {
    name: "checks.listAnnotations",
    method: "GET",
    pattern: "/repos/:owner/:repo/check-runs/:check_run_id/annotations",
    auth: "token",
    permission: READ,
    doc: `${D}#list-check-run-annotations`,
    handler(ctx) {
      const c = runOf(ctx);
      const page = paginate(c.annotations, ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}/check-runs/${c.id}/annotations`);
      return json(200, page.items.map((a) => annotationJson(a, c, ctx.repo, ctx.urls)), page.headers);
    },
  },
  {
    name: "checks.listForRef",
    method: "GET",
    pattern: "/repos/:owner/:repo/commits/:ref/check-runs",
    auth: "token",
    permission: READ,
    doc: `${D}#list-check-runs-for-a-git-reference`,
    handler(ctx) {
      const ref = ctx.params.ref ?? "";
      const pr = [...ctx.repo.pulls.values()].find((p) => p.headRef === ref);
      const sha = /^[0-9a-f]{40}$/i.test(ref) || !pr ? ref : pr.headSha;
      const name = ctx.query.get("check_name");
      const status = ctx.query.get("status");
      // Every run in the fake is this app's: another app_id has none.
      const appId = ctx.query.get("app_id");
      const mine = appId === null || Number(appId) === ctx.env.app.id;
      let runs = ctx.repo.checkRuns.filter((c) => mine && c.headSha === sha && (name === null || c.name === name) && (status === null || c.status === status));
      runs = [...runs].sort((a, b) => b.id - a.id);
      if ((ctx.query.get("filter") ?? "latest") === "latest") {
        const seen = new Set<string>();
        runs = runs.filter((c) => (seen.has(c.name) ? false : (seen.add(c.name), true)));
      }
      const page = paginate(runs, ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}/commits/${encodeURIComponent(ref)}/check-runs`);
      return json(200, { total_count: runs.length, check_runs: page.items.map((c) => checkRunJson(c, ctx.repo, ctx.env.store, ctx.urls, ctx.env.app)) }, page.headers);
    },
  },
];
