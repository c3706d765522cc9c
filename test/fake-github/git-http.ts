// git's smart HTTP protocol, the way GitHub serves it to an app: fetch and
// clone over `https://host/owner/repo.git` with the installation token as a
// Basic password (`x-access-token:<token>`). The protocol itself is git's
// own `git http-backend` (a CGI from the git package) over repositories the
// test built, so what the app's git client talks to is real git, not a
// re-implementation; this module only decides, as GitHub does, who may
// fetch: no credentials → 401 with a Basic challenge, a token that was never
// issued or has expired → 401, a repository the token's installation does
// not cover → 404 "Repository not found.", a token without contents: read →
// 403, and any push → 403. Dumb HTTP (plain object files) is not served.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { grants } from "./auth.js";
import type { Env } from "./router.js";
import { iso } from "./store.js";

/** Where Debian's git package puts the CGI; `git --exec-path` says where elsewhere. */
const HTTP_BACKEND = process.env.GIT_HTTP_BACKEND ?? "/usr/lib/git-core/git-http-backend";

export interface GitRequest {
  seq: number;
  method: string;
  /** `/owner/repo.git/info/refs`, as received (no query). */
  path: string;
  /** `git-upload-pack` for fetches; `git-receive-pack` for pushes (always refused). */
  service: string | null;
  owner: string;
  repo: string;
  status: number;
  /** Which credential came: a Basic password that is an issued token, or none. */
  auth: "none" | "token" | "bad";
  installationId: number | null;
  /** Bytes of the answer's body as sent (the pack, for a fetch). */
  bytes: number;
  at: string;
}

// /owner/repo.git/info/refs, /owner/repo.git/git-upload-pack (and the same
// without .git, which GitHub also accepts).
const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*)$/;

export class GitHttp {
  readonly requests: GitRequest[] = [];
  private readonly dirs = new Map<string, string>();
  private failures: { status: number; times: number }[] = [];

  constructor(private readonly env: Env) {}

  /** Serves `gitDir` (a bare repository, or a work tree's `.git`) as owner/repo. `null` stops serving it. */
  serve(owner: string, repo: string, gitDir: string | null): void {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}`;
    if (gitDir === null) this.dirs.delete(key);
    else this.dirs.set(key, path.resolve(gitDir));
  }

  /** The next `times` git requests (after authentication) answer `status`: a GitHub having a bad minute. */
  failNext(status: number, times = 1): void {
    this.failures.push({ status, times });
  }

  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.dirs.clear();
  }

  /** True for a path this module answers (the API lives under /api/v3). */
  matches(pathname: string): boolean {
    return GIT_PATH.test(pathname);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const m = GIT_PATH.exec(url.pathname)!;
    const [, owner, repo, rest] = m as unknown as [string, string, string, string];
    const service = rest === "info/refs" ? url.searchParams.get("service") : rest.startsWith("git-") ? rest : null;
    const rec: GitRequest = { seq: this.requests.length + 1, method: (req.method ?? "GET").toUpperCase(), path: url.pathname, service, owner, repo, status: 0, auth: "none", installationId: null, bytes: 0, at: iso(new Date(this.env.nowMs())) };
    this.requests.push(rec);
    const refuse = (status: number, text: string, headers: Record<string, string> = {}) => {
      rec.status = status;
      req.resume();
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers }).end(text);
    };

    const header = req.headers.authorization ?? "";
    const basic = /^basic\s+(\S+)\s*$/i.exec(header);
    const password = basic ? Buffer.from(basic[1]!, "base64").toString("utf8").split(":").slice(1).join(":") : null;
    // GitHub asks for credentials before it says whether a private repository exists.
    if (!basic) return refuse(401, "", { "www-authenticate": 'Basic realm="GitHub"' });
    const token = password ? this.env.tokens.check(password, this.env.nowMs()) : null;
    rec.auth = token ? "token" : "bad";
    if (!token) return refuse(401, "Invalid username or token. Password authentication is not supported for Git operations.\n", { "www-authenticate": 'Basic realm="GitHub"' });
    rec.installationId = token.installationId;

    const r = this.env.store.repo(owner, repo);
    const inst = this.env.store.installations.get(token.installationId);
    const covered = r && inst && inst.owner.toLowerCase() === r.owner.toLowerCase() && (token.repositories === null || token.repositories.includes(r.name.toLowerCase()));
    const dir = this.dirs.get(`${owner.toLowerCase()}/${repo.toLowerCase()}`);
    if (!covered || !dir) return refuse(404, "Repository not found.\n");
    if (service === "git-receive-pack") return refuse(403, "Permission to push denied: the fake GitHub serves fetches only.\n");
    if (!grants(token.permissions, "contents", "read")) return refuse(403, "Write access to repository not granted.\n");
    // Smart HTTP only, as GitHub: no dumb object files, no info/refs without a service.
    if (service !== "git-upload-pack") return refuse(403, "Smart HTTP only: ask for ?service=git-upload-pack.\n");
    const failure = this.failures[0];
    if (failure) {
      if (--failure.times <= 0) this.failures.shift();
      return refuse(failure.status, "fake GitHub: a failure the test asked for\n");
    }
    await this.cgi(req, res, rec, dir, rest, url.search.slice(1));
  }

  /** Runs git http-backend for one request and streams its answer back. */
  private cgi(req: IncomingMessage, res: ServerResponse, rec: GitRequest, gitDir: string, rest: string, query: string): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(HTTP_BACKEND, [], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          // The repository itself is the project root; PATH_INFO names what in it.
          GIT_PROJECT_ROOT: gitDir,
          GIT_HTTP_EXPORT_ALL: "1",
          PATH_INFO: `/${rest}`,
          QUERY_STRING: query,
          REQUEST_METHOD: rec.method,
          CONTENT_TYPE: req.headers["content-type"] ?? "",
          ...(req.headers["content-length"] ? { CONTENT_LENGTH: req.headers["content-length"] } : {}),
          ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] } : {}),
          // Protocol v2 is asked for in this header; http-backend reads it from here.
          ...(req.headers["git-protocol"] ? { HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
          REMOTE_USER: "x-access-token",
          REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
          // The test's repositories: no user or system config, and a want of
          // any commit reachable from a ref is served (GitHub serves those).
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
          GIT_CONFIG_COUNT: "2",
          GIT_CONFIG_KEY_0: "uploadpack.allowReachableSHA1InWant",
          GIT_CONFIG_VALUE_0: "true",
          GIT_CONFIG_KEY_1: "safe.directory",
          GIT_CONFIG_VALUE_1: "*",
        },
        stdio: ["pipe", "pipe", "pipe"],
      });
      req.pipe(child.stdin);
      child.stdin.on("error", () => undefined);
      let head = Buffer.alloc(0);
      let headersDone = false;
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        if (stderr.length < 4096) stderr += d.toString("utf8");
      });
      child.stdout.on("data", (chunk: Buffer) => {
        if (headersDone) {
          rec.bytes += chunk.length;
          if (!res.write(chunk)) {
            child.stdout.pause();
            res.once("drain", () => child.stdout.resume());
          }
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n") !== -1 ? head.indexOf("\r\n\r\n") : head.indexOf("\n\n");
        if (end === -1) return;
        const sep = head.indexOf("\r\n\r\n") === end ? 4 : 2;
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
          const colon = line.indexOf(":");
          if (colon === -1) continue;
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          if (name === "status") status = Number.parseInt(value, 10) || 500;
          else headers[name] = value;
        }
        headersDone = true;
        rec.status = status;
        res.writeHead(status, headers);
        const body = head.subarray(end + sep);
        rec.bytes += body.length;
        if (body.length > 0) res.write(body);
      });
      child.once("error", (err) => {
        rec.status = 500;
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`fake GitHub: git http-backend did not start: ${err.message}\n`);
        resolve();
      });
      child.once("close", (code) => {
        if (!headersDone) {
          rec.status = 500;
          if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
          res.end(`fake GitHub: git http-backend exited with ${code}: ${stderr}\n`);
        } else res.end();
        resolve();
      });
      res.once("close", () => {
        if (child.exitCode === null) child.kill("SIGKILL");
      });
    });
  }
}
