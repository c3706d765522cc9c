// The HTTP side: one request through authentication, faults, routing,
// repository access, permissions and body validation, then the handler;
// every request is recorded with the status it got.
import { randomUUID, type KeyObject } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { grants, JwtError, readCredential, verifyAppJwt, type IssuedToken } from "./auth.js";
import type { Faults, Holds } from "./faults.js";
import type { GitHttp } from "./git-http.js";
import { answerGraphql, graphqlCallOf } from "./graphql.js";
import { errorBody, HttpError, type Reply } from "./http.js";
import { validateBody } from "./openapi.js";
import { compile, type Ctx, type Env, type Route, type Router } from "./router.js";
import type { Urls } from "./shapes.js";
import { iso } from "./store.js";
import type { RecordedRequest } from "./types.js";

export interface ServerDeps {
  env: Env;
  router: Router;
  faults: Faults;
  holds: Holds;
  requests: RecordedRequest[];
  appId: number;
  publicKey: KeyObject;
  validateBodies: boolean;
  /** Requests made per installation in the current hour (for the x-ratelimit-* headers). */
  rateUsed: Map<number, number>;
  /** git's smart HTTP at /owner/repo.git/... (recorded apart from the API's requests). */
  git: GitHttp;
}

const API_PREFIX = "/api/v3";
/** GitHub Enterprise Server's GraphQL endpoint (Octokit's for a base URL ending in /api/v3); recorded as path `/graphql`. */
const GRAPHQL_PATH = "/api/graphql";

// Not in ROUTES: it has no OpenAPI operation, and its permissions are checked per field.
const GRAPHQL_ROUTE: Route = compile({ name: "graphql", method: "POST", pattern: "/graphql", auth: "token", doc: "https://docs.github.com/graphql", handler: () => ({ status: 500 }) });
const BODY_LIMIT = 32 * 1024 * 1024;

export class FakeServer {
  private server: http.Server | null = null;
  private urls: Urls | null = null;

  constructor(private readonly deps: ServerDeps) {}

  async start(): Promise<{ port: number; host: string }> {
    if (this.server) throw new Error("fake GitHub already started");
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // the request itself broke (aborted body): answer if still possible
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(errorBody(500, `fake GitHub bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)));
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = `127.0.0.1:${port}`;
    this.urls = { api: `http://${host}${API_PREFIX}`, web: `http://${host}` };
    return { port, host };
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { env, requests } = this.deps;
    // git's pack streams are binary and may be large: handed over before any body is read.
    if (this.deps.git.matches(new URL(req.url ?? "/", "http://fake").pathname)) return this.deps.git.handle(req, res);
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const method = (req.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    let body: unknown = undefined;
    let badJson = false;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        badJson = true;
      }
    }
    const rawPath = url.pathname;
    let path = rawPath.startsWith(`${API_PREFIX}/`) || rawPath === API_PREFIX ? rawPath.slice(API_PREFIX.length) || "/" : rawPath === GRAPHQL_PATH ? "/graphql" : rawPath;
    // GitHub's Link headers point at /repositories/:id/...; serve them as the owner/name path.
    const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
    const idRepo = byId ? env.store.reposById.get(Number(byId[1])) : undefined;
    if (byId && idRepo) path = `/repos/${idRepo.owner}/${idRepo.name}${byId[2] ?? ""}`;
    const rec: RecordedRequest = {
      seq: requests.length + 1,
      method,
      path,
      rawPath,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      status: 0,
      auth: "none",
      installationId: null,
      route: null,
      fault: null,
      at: iso(new Date(env.nowMs())),
    };
    const graphql = rawPath === GRAPHQL_PATH ? graphqlCallOf(body) : null;
    if (graphql) rec.graphql = graphql;
    requests.push(rec);
    const held = this.deps.holds.take(method, path, graphql);
    if (held) {
      const closed = new Promise<"gone">((r) => (req.socket.destroyed ? r("gone") : req.socket.once("close", () => r("gone"))));
      // GitHub never saw a request whose caller died before it was sent on.
      if ((await Promise.race([held.released, closed])) === "gone") {
        rec.fault = "held";
        held.leave();
        return;
      }
    }
    let reply: Reply;
    try {
      reply = this.answer(rec, url.searchParams, badJson, raw.length > 0);
    } catch (err) {
      // a bug in the fake: answer 500 so the test sees it, and say where
      reply = { status: 500, json: errorBody(500, `fake GitHub bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`) };
    }
    this.send(res, rec, reply);
  }

  private answer(rec: RecordedRequest, query: URLSearchParams, badJson: boolean, hasBody: boolean): Reply {
    const { env, router, faults } = this.deps;
    const err = (e: HttpError): Reply => ({ status: e.status, json: e.body, headers: e.headers });
    try {
      const isGraphql = rec.rawPath === GRAPHQL_PATH;
      if (!rec.rawPath.startsWith(`${API_PREFIX}/`) && rec.rawPath !== API_PREFIX && !isGraphql) throw new HttpError(404, errorBody(404, "Not Found"));
      const fault = faults.take(rec.method, rec.path, rec.graphql ?? null);
      if (fault) {
        rec.fault = "failNext";
        return { status: fault.status, json: fault.body, headers: fault.headers };
      }
      // credentials
      const cred = readCredential(rec.headers.authorization);
      let token: IssuedToken | null = null;
      let jwtOk = false;
      let jwtError: string | null = null;
      const nowMs = env.nowMs();
      if (cred.kind === "token") {
        rec.auth = "token";
        token = env.tokens.check(cred.token, nowMs);
        if (!token) throw new HttpError(401, errorBody(401, "Bad credentials"));
        rec.installationId = token.installationId;
      } else if (cred.kind === "jwt") {
        rec.auth = "jwt";
        try {
          verifyAppJwt(cred.jwt, this.deps.publicKey, this.deps.appId, Math.floor(nowMs / 1000));
          jwtOk = true;
        } catch (e) {
          if (!(e instanceof JwtError)) throw e;
          jwtError = e.message;
        }
      } else if (cred.kind === "malformed") {
        throw new HttpError(401, errorBody(401, "Bad credentials"));
      }
      const m = isGraphql ? (rec.method === "POST" ? { route: GRAPHQL_ROUTE, params: {} } : null) : router.match(rec.method, rec.path);
      if (!m || "methodMismatch" in m) throw new HttpError(404, errorBody(404, "Not Found"));
      const { route, params } = m;
      rec.route = route.name;
      if (route.auth === "jwt") {
        if (!jwtOk) throw new HttpError(401, errorBody(401, jwtError ?? "A JSON web token could not be decoded", route.doc));
      } else {
        if (cred.kind === "none") throw new HttpError(401, errorBody(401, "Requires authentication", route.doc));
        if (cred.kind === "jwt") throw new HttpError(401, errorBody(401, jwtOk ? "Bad credentials" : (jwtError ?? "Bad credentials"), route.doc));
        const status = faults.flaky();
        if (status !== null) {
          rec.fault = "flaky";
          return { status, json: errorBody(status, status === 503 ? "Service Unavailable" : "Server Error") };
        }
      }
      if (badJson && hasBody && rec.method !== "GET") throw new HttpError(400, errorBody(400, "Problems parsing JSON", route.doc));
      const ctx: Ctx = {
        method: rec.method,
        path: rec.path,
        query,
        headers: { ...rec.headers },
        accept: rec.headers.accept ?? "",
        body: rec.body,
        params,
        token,
        urls: this.urls!,
        env,
        route,
        repo: undefined as unknown as Ctx["repo"], // set below for /repos/:owner/:repo routes
      };
      if (params.owner !== undefined && params.repo !== undefined) {
        const r = env.store.repo(params.owner, params.repo);
        if (!r) throw new HttpError(404, errorBody(404, "Not Found", route.doc));
        if (token) {
          const inst = env.store.installations.get(token.installationId);
          const covered = inst && inst.owner.toLowerCase() === r.owner.toLowerCase() && (token.repositories === null || token.repositories.includes(r.name.toLowerCase()));
          if (!covered) throw new HttpError(404, errorBody(404, "Not Found", route.doc));
        }
        ctx.repo = r;
      }
      if (token && route.permission && !route.permission.some(([name, level]) => grants(token!.permissions, name, level))) {
        throw new HttpError(403, errorBody(403, "Resource not accessible by integration", route.doc), {
          "x-accepted-github-permissions": route.permission.map(([n, l]) => `${n}=${l}`).join("; "),
        });
      }
      if (isGraphql) {
        if (cred.kind === "none") throw new HttpError(401, { message: "This endpoint requires you to be authenticated.", documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql" });
        return answerGraphql(env, token!, rec.body);
      }
      if (this.deps.validateBodies && ["POST", "PATCH", "PUT"].includes(rec.method)) {
        const message = validateBody(route.operation, rec.body);
        if (message) throw new HttpError(422, errorBody(422, message, route.doc));
      }
      return route.handler(ctx);
    } catch (e) {
      if (e instanceof HttpError) return err(e);
      throw e;
    }
  }

  private send(res: ServerResponse, rec: RecordedRequest, reply: Reply): void {
    const headers: Record<string, string> = {
      "x-github-request-id": randomUUID().toUpperCase().slice(0, 23),
      "x-github-api-version-selected": "2022-11-28",
      "x-github-media-type": "github.v3; format=json",
    };
    for (const [k, v] of Object.entries(reply.headers ?? {})) headers[k.toLowerCase()] = v;
    if (rec.installationId !== null) {
      const used = (this.deps.rateUsed.get(rec.installationId) ?? 0) + 1;
      this.deps.rateUsed.set(rec.installationId, used);
      const reset = Math.floor(this.deps.env.nowMs() / 3600_000 + 1) * 3600;
      headers["x-ratelimit-limit"] ??= "5000";
      headers["x-ratelimit-used"] ??= String(used);
      headers["x-ratelimit-remaining"] ??= String(Math.max(0, 5000 - used));
      headers["x-ratelimit-reset"] ??= String(reset);
      headers["x-ratelimit-resource"] ??= "core";
    }
    let payload = "";
    if (reply.text !== undefined) {
      payload = reply.text;
      headers["content-type"] ??= reply.contentType ?? "text/plain; charset=utf-8";
    } else if (reply.json !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.json);
      headers["content-type"] ??= "application/json; charset=utf-8";
    }
    headers["content-length"] = String(Buffer.byteLength(payload, "utf8"));
    rec.status = reply.status;
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
