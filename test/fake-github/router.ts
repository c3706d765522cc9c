// Route table: method + path pattern (`:name` one segment, `:name+` the rest
// of the path), the credential it needs, the token permission it needs, the
// endpoint's documentation URL and its handler. Parameter names follow the
// OpenAPI description, so the pattern also names the operation whose request
// body schema validates the route ("POST /repos/{owner}/{repo}/check-runs").
import type { IncomingHttpHeaders } from "node:http";
import type { IssuedToken, TokenStore } from "./auth.js";
import type { Reply } from "./http.js";
import type { AppInfo, Urls } from "./shapes.js";
import type { PullRec, RepoRec, Store } from "./store.js";
import type { AccessLevel } from "./types.js";

export interface Env {
  store: Store;
  tokens: TokenStore;
  app: AppInfo;
  nowMs(): number;
  /** Pull requests whose patch/diff media types answer 406. */
  tooLarge: Set<string>;
}

export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  accept: string;
  body: unknown;
  params: Record<string, string>;
  token: IssuedToken | null;
  urls: Urls;
  env: Env;
  route: Route;
  /** Set for routes under /repos/:owner/:repo once the repository is found and covered by the token. */
  repo: RepoRec;
}

export interface RouteDef {
  name: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  pattern: string;
  auth: "jwt" | "token";
  /** The token needs one of these (permission, level) pairs. */
  permission?: [string, AccessLevel][];
  doc: string;
  handler(ctx: Ctx): Reply;
}

export interface Route extends RouteDef {
  regex: RegExp;
  names: string[];
  /** OpenAPI operation key, e.g. "POST /repos/{owner}/{repo}/check-runs". */
  operation: string;
}

export function compile(def: RouteDef): Route {
  const names: string[] = [];
  const src = def.pattern
    .split("/")
    .map((seg) => {
      const m = /^:(\w+)(\+)?$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]!);
      return m[2] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  const operation = `${def.method} ${def.pattern.replace(/:(\w+)\+?/g, "{$1}")}`;
  return { ...def, regex: new RegExp(`^${src}$`), names, operation };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[];

  constructor(defs: readonly RouteDef[]) {
    this.routes = defs.map(compile);
  }

  all(): readonly Route[] {
    return this.routes;
  }

  /** The route for a method and path; `methodMismatch` when the path exists under another method. */
  match(method: string, path: string): Match | { methodMismatch: true } | null {
    let other = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        other = true;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]!);
      });
      return { route: r, params };
    }
    return other ? { methodMismatch: true } : null;
  }
}

/** The pull request named by `:pull_number`, or 404. */
export function pullOf(ctx: Ctx, notFound: (doc?: string) => never): PullRec {
  const p = ctx.repo.pulls.get(Number(ctx.params.pull_number));
  if (!p) notFound(ctx.route.doc);
  return p;
}
