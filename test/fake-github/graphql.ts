// GitHub's GraphQL API (`POST /api/graphql` on GitHub Enterprise Server, the
// endpoint Octokit uses for a `/api/v3` base URL), for the part of the schema
// patchwarden reads. Every query is parsed and validated against GitHub's own
// published schema (@octokit/graphql-schema), so a field GitHub does not have,
// a wrong argument or a wrong variable type fails here as it would there.
// Executed over the store; a field of the schema the fake does not serve is an
// error naming it, never a silent null.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { grants, type IssuedToken } from "./auth.js";
import type { Reply } from "./http.js";
import type { Env } from "./router.js";
import { blobSha, type CheckRunRec, type PullRec, type RepoRec } from "./store.js";
import type { AccessLevel } from "./types.js";

const DOC = "https://docs.github.com/graphql";

let schema: GraphQLSchema | null = null;

/** GitHub's schema, built once per process (~200 ms). Its published SDL repeats a few fields, hence assumeValidSDL. */
function githubSchema(): GraphQLSchema {
  if (!schema) {
    // Looked up in the node_modules folders Node would search: the package's exports map names no schema file.
    const dirs = createRequire(import.meta.url).resolve.paths("@octokit/graphql-schema") ?? [];
    const file = dirs.map((d) => join(d, "@octokit", "graphql-schema", "schema.graphql")).find((f) => existsSync(f));
    if (!file) throw new Error("fake GitHub: @octokit/graphql-schema is not installed (npm ci)");
    schema = buildSchema(readFileSync(file, "utf8"), { assumeValidSDL: true });
  }
  return schema;
}

/** What a recorded GraphQL request asked: its operation's name and variables. */
export interface GraphqlCall {
  operation: string | null;
  variables: Record<string, unknown>;
}

export function graphqlCallOf(body: unknown): GraphqlCall | null {
  if (typeof body !== "object" || body === null || typeof (body as { query?: unknown }).query !== "string") return null;
  const b = body as { query: string; operationName?: unknown; variables?: unknown };
  let operation = typeof b.operationName === "string" ? b.operationName : null;
  if (!operation) operation = /^\s*(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(b.query)?.[1] ?? null;
  return { operation, variables: typeof b.variables === "object" && b.variables !== null ? (b.variables as Record<string, unknown>) : {} };
}

/** An error GitHub reports in `errors` with a `type` (NOT_FOUND, FORBIDDEN, ...). */
function typed(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { githubType: type } });
}

interface Ctx {
  env: Env;
  token: IssuedToken;
}

/** The token may read this part of the repository, else GitHub's FORBIDDEN. */
function need(ctx: Ctx, permissions: [string, AccessLevel][]): void {
  if (!permissions.some(([n, l]) => grants(ctx.token.permissions, n, l))) throw typed("FORBIDDEN", "Resource not accessible by integration");
}

const MAX_PAGE = 100;

/** A connection the way GitHub pages one: `first`/`after` or `last`/`before`, at most 100, one of them required for nodes. */
interface Paging {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

function connection<T>(items: T[], args: Paging, name: string, info: { fieldNodes: readonly { selectionSet?: { selections: readonly unknown[] } }[] }) {
  const wantsItems = info.fieldNodes.some((f) => (f.selectionSet?.selections ?? []).some((s) => ["nodes", "edges"].includes((s as { name?: { value?: string } }).name?.value ?? "")));
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (wantsItems && first === null && last === null) throw typed("MISSING_PAGINATION_BOUNDARIES", `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  for (const [arg, v] of [["first", first], ["last", last]] as const) {
    if (v !== null && v > MAX_PAGE) throw typed("EXCESSIVE_PAGINATION", `Requesting ${v} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE} records.`);
    if (v !== null && v < 0) throw typed("INVALID_PAGINATION", `\`${arg}\` on the \`${name}\` connection cannot be less than zero.`);
  }
  const cursor = (i: number) => Buffer.from(`cursor:v2:${i}`).toString("base64");
  const at = (c: string | null | undefined) => (c ? Number(/^cursor:v2:(\d+)$/.exec(Buffer.from(c, "base64").toString("utf8"))?.[1] ?? NaN) : null);
  let start = 0;
  let end = items.length;
  const after = at(args.after);
  const before = at(args.before);
  if (after !== null && !Number.isNaN(after)) start = after + 1;
  if (before !== null && !Number.isNaN(before)) end = Math.min(end, before);
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  const slice = items.slice(start, end).map((node, k) => ({ node, cursor: cursor(start + k) }));
  return {
    totalCount: items.length,
    nodes: slice.map((e) => e.node),
    edges: slice,
    pageInfo: { hasNextPage: end < items.length, hasPreviousPage: start > 0, startCursor: slice[0]?.cursor ?? null, endCursor: slice.at(-1)?.cursor ?? null },
  };
}

function actor(env: Env, login: string) {
  const bot = login.endsWith("[bot]");
  // GraphQL names a bot by its app's slug: "patchwarden", where REST says "patchwarden[bot]".
  return { __typename: bot ? "Bot" : "User", login: bot ? login.slice(0, -"[bot]".length) : login, databaseId: env.store.user(login).id };
}

function blobOrTree(env: Env, r: RepoRec, rev: string, path: string) {
  const ref = rev === "HEAD" ? r.defaultBranch : rev;
  if (!r.files.has(ref.replace(/^refs\/heads\//, ""))) return null;
  const text = env.store.file(r, ref, path);
  if (text !== undefined) {
    const bytes = Buffer.byteLength(text, "utf8");
    return { __typename: "Blob", oid: blobSha(text), byteSize: bytes, isBinary: text.includes("\0"), isTruncated: false, text: text.includes("\0") ? null : text };
  }
  const entries = env.store.listDir(r, ref, path);
  return entries ? { __typename: "Tree", oid: blobSha(`tree:${ref}:${path}`), entries: entries.map((e) => ({ name: e.name, path: e.path, type: e.type === "dir" ? "tree" : "blob" })) } : null;
}

function knownCommit(r: RepoRec, sha: string): boolean {
  for (const p of r.pulls.values()) if (p.headSha === sha || p.baseSha === sha || p.commits.some((c) => c.sha === sha)) return true;
  return r.files.has(sha);
}

function commit(ctx: Ctx, r: RepoRec, sha: string) {
  return {
    __typename: "Commit",
    oid: sha,
    checkSuites(args: { first?: number; last?: number; after?: string; before?: string; filterBy?: { appId?: number | null; checkName?: string | null } | null }, _c: Ctx, info: Parameters<typeof connection>[3]) {
      need(ctx, [["checks", "read"]]);
      const appId = args.filterBy?.appId;
      // Every run in the fake is this app's: another app has no suite.
      const runs = appId === undefined || appId === null || appId === ctx.env.app.id ? r.checkRuns.filter((c) => c.headSha === sha) : [];
      const suites = [...new Set(runs.map((c) => c.checkSuiteId))].map((id) => suite(ctx, runs.filter((c) => c.checkSuiteId === id), id));
      return connection(suites, args, "checkSuites", info);
    },
  };
}

function suite(ctx: Ctx, runs: CheckRunRec[], id: number) {
  return {
    __typename: "CheckSuite",
    databaseId: id,
    app: { __typename: "App", databaseId: ctx.env.app.id, slug: ctx.env.app.slug, name: ctx.env.app.name },
    checkRuns(args: { first?: number; last?: number; after?: string; before?: string; filterBy?: { checkName?: string | null; checkType?: string | null; appId?: number | null } | null }, _c: Ctx, info: Parameters<typeof connection>[3]) {
      const f = args.filterBy ?? {};
      let list = runs.filter((c) => (f.checkName == null || c.name === f.checkName) && (f.appId == null || f.appId === ctx.env.app.id));
      list = [...list].sort((a, b) => a.id - b.id);
      if (f.checkType === "LATEST") list = list.filter((c) => !list.some((d) => d.name === c.name && d.id > c.id));
      return connection(
        list.map((c) => ({ __typename: "CheckRun", databaseId: c.id, name: c.name, status: c.status.toUpperCase(), conclusion: c.conclusion?.toUpperCase() ?? null, externalId: c.externalId })),
        args,
        "checkRuns",
        info,
      );
    },
  };
}

function pullRequest(ctx: Ctx, r: RepoRec, p: PullRec) {
  const env = ctx.env;
  return {
    __typename: "PullRequest",
    number: p.number,
    databaseId: p.id,
    title: p.title,
    state: p.state === "open" ? "OPEN" : "CLOSED",
    isDraft: p.draft,
    headRefOid: p.headSha,
    headRefName: p.headRef,
    baseRefOid: p.baseSha,
    baseRefName: p.baseRef,
    changedFiles: p.files.length,
    commits: (args: object, _c: Ctx, info: Parameters<typeof connection>[3]) => connection(p.commits.map((c) => ({ __typename: "PullRequestCommit", commit: commit(ctx, r, c.sha) })), args, "commits", info),
    labels: (args: object, _c: Ctx, info: Parameters<typeof connection>[3]) => connection((r.labels.get(p.number) ?? []).map((name) => ({ __typename: "Label", name })), args, "labels", info),
    reviews(args: Paging & { states?: string[] | null }, _c: Ctx, info: Parameters<typeof connection>[3]) {
      const list = p.reviews.filter((v) => !args.states || args.states.includes(v.state));
      return connection(
        list.map((v) => ({ __typename: "PullRequestReview", databaseId: v.id, author: actor(env, v.user), body: v.body, state: v.state, submittedAt: v.submittedAt, commit: { __typename: "Commit", oid: v.commitId } })),
        args,
        "reviews",
        info,
      );
    },
    timelineItems(args: Paging & { itemTypes?: string[] | null }, _c: Ctx, info: Parameters<typeof connection>[3]) {
      need(ctx, [["pull_requests", "read"], ["issues", "read"]]);
      // Only label events are in the fake's timeline.
      const kinds = args.itemTypes ?? ["LABELED_EVENT", "UNLABELED_EVENT"];
      const events = r.labelEvents
        .filter((e) => e.issue === p.number && kinds.includes(e.event === "labeled" ? "LABELED_EVENT" : "UNLABELED_EVENT"))
        .map((e) => ({ __typename: e.event === "labeled" ? "LabeledEvent" : "UnlabeledEvent", createdAt: e.createdAt, actor: actor(env, e.actor), label: { __typename: "Label", name: e.label } }));
      return connection(events, args, "timelineItems", info);
    },
  };
}

function repository(ctx: Ctx, r: RepoRec) {
  return {
    __typename: "Repository",
    name: r.name,
    nameWithOwner: `${r.owner}/${r.name}`,
    databaseId: r.id,
    isPrivate: r.private,
    defaultBranchRef: { __typename: "Ref", name: r.defaultBranch },
    pullRequest(args: { number: number }) {
      need(ctx, [["pull_requests", "read"]]);
      const p = r.pulls.get(args.number);
      if (!p) throw typed("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${args.number}.`);
      return pullRequest(ctx, r, p);
    },
    object(args: { expression?: string | null; oid?: string | null }) {
      need(ctx, [["contents", "read"]]);
      const oid = args.oid ?? null;
      if (oid !== null) return knownCommit(r, oid) ? commit(ctx, r, oid) : null;
      const expression = args.expression ?? "";
      const colon = expression.indexOf(":");
      if (colon < 0) {
        const sha = expression === "HEAD" ? null : expression;
        return sha && knownCommit(r, sha) ? commit(ctx, r, sha) : null;
      }
      return blobOrTree(ctx.env, r, expression.slice(0, colon) || "HEAD", expression.slice(colon + 1));
    },
  };
}

const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, Ctx> = (source, args, ctx, info) => {
  const v = source?.[info.fieldName];
  if (v === undefined) throw new GraphQLError(`The fake GitHub does not serve ${info.parentType.name}.${info.fieldName}`);
  return typeof v === "function" ? (v as (a: unknown, c: Ctx, i: unknown) => unknown).call(source, args, ctx, info) : v;
};

function root(ctx: Ctx) {
  return {
    repository(args: { owner: string; name: string }) {
      const r = ctx.env.store.repo(args.owner, args.name);
      const inst = r && ctx.env.store.installations.get(ctx.token.installationId);
      const covered = r && inst && inst.owner.toLowerCase() === r.owner.toLowerCase() && (ctx.token.repositories === null || ctx.token.repositories.includes(r.name.toLowerCase()));
      if (!r || !covered) throw typed("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      return repository(ctx, r);
    },
  };
}

/** Answers one GraphQL request made with an installation token, as GitHub does: HTTP 200 whether or not `errors` is set. */
export function answerGraphql(env: Env, token: IssuedToken, body: unknown): Reply {
  const b = (typeof body === "object" && body !== null ? body : {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof b.query !== "string") return { status: 400, json: { message: "Problems parsing JSON", documentation_url: DOC } };
  let document: DocumentNode;
  try {
    document = parse(b.query);
  } catch (e) {
    return { status: 200, json: { errors: [{ message: (e as GraphQLError).message, locations: (e as GraphQLError).locations ?? [] }] } };
  }
  const s = githubSchema();
  const invalid = validate(s, document);
  if (invalid.length) return { status: 200, json: { errors: invalid.map((e) => ({ message: e.message, locations: e.locations ?? [], extensions: { code: "undefinedField" } })) } };
  if (document.definitions.some((d) => d.kind === "OperationDefinition" && (d as OperationDefinitionNode).operation !== "query")) {
    return { status: 200, json: { errors: [{ message: "The fake GitHub serves queries only, not mutations or subscriptions" }] } };
  }
  const ctx: Ctx = { env, token };
  const result = execute({
    schema: s,
    document,
    rootValue: root(ctx),
    contextValue: ctx,
    variableValues: (b.variables ?? {}) as Record<string, unknown>,
    ...(typeof b.operationName === "string" ? { operationName: b.operationName } : {}),
    fieldResolver,
    typeResolver: (value) => (value as { __typename: string }).__typename,
  }) as Awaited<ReturnType<typeof execute>>;
  const out: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) {
    out.errors = result.errors.map((e) => {
      const type = e.extensions?.githubType as string | undefined;
      // A bug in the fake (a resolver that threw a plain error) is loud: GitHub never says "fake".
      return { ...(type ? { type } : {}), path: e.path ?? [], locations: e.locations ?? [], message: e.originalError && !(e.originalError instanceof GraphQLError) ? `fake GitHub bug: ${e.originalError.stack ?? e.message}` : e.message };
    });
  }
  return { status: 200, json: out };
}
