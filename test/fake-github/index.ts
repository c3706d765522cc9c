// A fake GitHub REST API on loopback for end-to-end tests. Point Probot at
// it with GHE_HOST=<host> and GHE_PROTOCOL=http (base URL
// http://<host>/api/v3), or an Octokit with `baseUrl: fake.baseUrl`.
// See README.md in this directory for what it does differently from GitHub.
import { publicKeyFrom, TokenStore } from "./auth.js";
import { Faults, Holds, type Hold } from "./faults.js";
import { GitHttp, type GitRequest } from "./git-http.js";
import { openApiLoadStats, type OpenApiLoadStats } from "./openapi.js";
import { Router, type Env } from "./router.js";
import { appRoutes } from "./routes/app.js";
import { checkRoutes } from "./routes/checks.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { repoRoutes } from "./routes/repos.js";
import { FakeServer } from "./server.js";
import { diffHunkFor } from "./diff-lines.js";
import { Store, type RepoRec } from "./store.js";
import type {
  FailOptions,
  FakeCheckRun,
  FakeGitHubOptions,
  FakeIssueComment,
  FakeLabelEvent,
  FakePullRequestInput,
  FakeReview,
  FakeReviewComment,
  GraphqlMatch,
  InstallationOptions,
  LabelEventInput,
  Permission,
  RecordedRequest,
  RepoOptions,
} from "./types.js";

export type * from "./types.js";
export type { OpenApiLoadStats } from "./openapi.js";
export type { GitRequest } from "./git-http.js";

/** Every route the fake serves, in match order (patterns use OpenAPI parameter names). */
export const ROUTES = [...appRoutes, ...repoRoutes, ...pullRoutes, ...checkRoutes, ...issueRoutes];

export class FakeGitHub {
  /** Every request received, in order, with the status it got. Cleared (in place) by reset(). */
  readonly requests: RecordedRequest[] = [];
  /** Login of the app's bot user, the author of everything the app posts. */
  readonly botLogin: string;

  private readonly store: Store;
  private readonly tokens = new TokenStore();
  private readonly faults: Faults;
  private readonly holds = new Holds();
  private readonly tooLarge = new Set<string>();
  private readonly server: FakeServer;
  private readonly git: GitHttp;
  private address: { port: number; host: string } | null = null;

  constructor(opts: FakeGitHubOptions) {
    const slug = opts.appSlug ?? "patchwarden";
    const now = opts.now ?? (() => new Date());
    this.botLogin = `${slug}[bot]`;
    this.store = new Store(now, this.botLogin, 41_000_000 + opts.appId);
    this.faults = new Faults(Math.min(1, Math.max(0, opts.flakiness ?? 0)), opts.seed ?? 1);
    const env: Env = {
      store: this.store,
      tokens: this.tokens,
      app: { id: opts.appId, slug, name: slug, ownerLogin: "patchwarden-dev" },
      nowMs: () => now().getTime(),
      tooLarge: this.tooLarge,
    };
    this.git = new GitHttp(env);
    this.server = new FakeServer({
      env,
      router: new Router(ROUTES),
      faults: this.faults,
      holds: this.holds,
      requests: this.requests,
      appId: opts.appId,
      publicKey: publicKeyFrom(opts.publicKeyPem),
      validateBodies: opts.validateBodies ?? true,
      rateUsed: new Map(),
      git: this.git,
    });
  }

  /** Listens on 127.0.0.1, port 0. `host` is "127.0.0.1:PORT" (for GHE_HOST). */
  async start(): Promise<{ port: number; host: string }> {
    this.address = await this.server.start();
    return this.address;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.address = null;
  }

  /** http://127.0.0.1:PORT/api/v3 (after start). */
  get baseUrl(): string {
    if (!this.address) throw new Error("fake GitHub not started");
    return `http://${this.address.host}/api/v3`;
  }

  /** How the OpenAPI digest was loaded in this process (null before the first validated body). */
  static openApiLoadStats(): OpenApiLoadStats | null {
    return openApiLoadStats();
  }

  // ---- state -------------------------------------------------------------

  addInstallation(id: number, owner: string, opts?: InstallationOptions): void {
    this.store.addInstallation(id, owner, opts);
  }

  addRepo(owner: string, repo: string, opts?: RepoOptions): void {
    this.store.addRepo(owner, repo, opts);
  }

  /** A file at a ref (branch name or sha; `refs/heads/` is stripped). `null` removes it (404). */
  setFile(owner: string, repo: string, ref: string, path: string, content: string | null): void {
    this.store.setFile(owner, repo, ref, path, content);
  }

  /**
   * Serves a repository the test built over git's smart HTTP at
   * `http://HOST/owner/repo.git` (`gitDir`: a bare repository or a work
   * tree's `.git`; `null` stops serving it). The repository must also be
   * added (addRepo) and owned by the token's installation, as for the API.
   */
  serveGit(owner: string, repo: string, gitDir: string | null): void {
    this.git.serve(owner, repo, gitDir);
  }

  /** The next `times` git requests that pass authentication answer `status` (e.g. 500). */
  failGitNext(status: number, times = 1): void {
    this.git.failNext(status, times);
  }

  /** Every git smart-HTTP request, in order, with its status and the bytes sent back. Cleared by reset(). */
  get gitRequests(): readonly GitRequest[] {
    return this.git.requests;
  }

  /** Adds (or replaces) a pull request; the repository is created if needed. */
  addPullRequest(owner: string, repo: string, pr: FakePullRequestInput): void {
    this.store.addPullRequest(owner, repo, pr);
  }

  setCollaboratorPermission(owner: string, repo: string, user: string, permission: Permission): void {
    this.store.setCollaboratorPermission(owner, repo, user, permission);
  }

  /** Adds a labeled/unlabeled event to the issue's timeline and applies it to its current labels. */
  addLabelEvent(owner: string, repo: string, issue: number, ev: LabelEventInput): void {
    this.store.labelEvent(this.store.ensureRepo(owner, repo), issue, ev);
  }

  /** Seeds an issue comment (default author: the bot), e.g. one a previous run posted. Returns its id. */
  addIssueComment(owner: string, repo: string, issue: number, c: { body: string; user?: string }): number {
    const r = this.store.ensureRepo(owner, repo);
    const now = this.store.stamp();
    const id = this.store.nextId();
    this.store.user(c.user ?? this.botLogin);
    r.issueComments.push({ id, issue, user: c.user ?? this.botLogin, body: c.body, createdAt: now, updatedAt: now });
    if (!r.labels.has(issue)) r.labels.set(issue, []);
    return id;
  }

  /**
   * Seeds a submitted review (default author: the bot), e.g. one another
   * app's bot wrote (`user: "other-app[bot]"` is a Bot). Returns its id.
   */
  addReview(owner: string, repo: string, pull: number, r: { body: string; user?: string; event?: "COMMENT" | "REQUEST_CHANGES" | "APPROVE"; commitId?: string }): number {
    const p = this.pull(owner, repo, pull);
    if (!p) throw new Error(`fake GitHub: no pull request ${owner}/${repo}#${pull}`);
    const user = r.user ?? this.botLogin;
    this.store.user(user);
    const event = r.event ?? "COMMENT";
    const state = event === "APPROVE" ? ("APPROVED" as const) : event === "REQUEST_CHANGES" ? ("CHANGES_REQUESTED" as const) : ("COMMENTED" as const);
    const id = this.store.nextId();
    p.reviews.push({ id, user, state, event, body: r.body, commitId: r.commitId ?? p.headSha, submittedAt: this.store.stamp() });
    return id;
  }

  /** Seeds a review comment on a new-side (or LEFT) line of the PR's diff (default author: the bot). Returns its id. */
  addReviewComment(owner: string, repo: string, pull: number, c: { path: string; line: number; side?: "LEFT" | "RIGHT"; body: string; user?: string }): number {
    const p = this.pull(owner, repo, pull);
    if (!p) throw new Error(`fake GitHub: no pull request ${owner}/${repo}#${pull}`);
    const side = c.side ?? "RIGHT";
    const f = p.fileDiffs.find((x) => x.path === c.path);
    if (!f || !p.commentable.get(c.path)?.[side].has(c.line)) throw new Error(`fake GitHub: ${c.path}:${c.line} (${side}) is not in the diff of #${pull}`);
    const now = this.store.stamp();
    const user = c.user ?? this.botLogin;
    this.store.user(user);
    const review = { id: this.store.nextId(), user, state: "COMMENTED" as const, event: "COMMENT" as const, body: "", commitId: p.headSha, submittedAt: now };
    p.reviews.push(review);
    const id = this.store.nextId();
    const position = f.hunks.flatMap((h) => h.lines).find((l) => (side === "RIGHT" ? l.newLine === c.line : l.oldLine === c.line))?.position ?? null;
    p.reviewComments.push({
      id,
      reviewId: review.id,
      path: c.path,
      line: c.line,
      side,
      startLine: null,
      startSide: null,
      position,
      body: c.body,
      commitId: p.headSha,
      user,
      inReplyToId: null,
      diffHunk: diffHunkFor(f, side, c.line) ?? "",
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  // ---- faults ------------------------------------------------------------

  /**
   * The next `times` (default 1) requests whose method matches (`"*"`: any)
   * and whose path under /api/v3 (no query) matches `pathPattern` get
   * `status` with `headers` and `body` (default: GitHub's body for the
   * status; 403/429 get the secondary-rate-limit message). Checked before
   * authentication, so it also hits the token exchange.
   */
  failNext(method: string, pathPattern: RegExp, status: number, opts?: FailOptions): void {
    this.faults.add(method, pathPattern, status, opts);
  }

  /**
   * Records a delivery of the app's webhook as GitHub's delivery log would
   * (the fake sends no webhooks: a test that delivers one says here how it
   * was answered). Returns the delivery's id.
   */
  addHookDelivery(d: { guid: string; event: string; action?: string; statusCode: number; deliveredAt?: string; redelivery?: boolean; installationId?: number }): number {
    const id = this.store.nextId();
    this.store.hookDeliveries.push({ id, guid: d.guid, event: d.event, action: d.action ?? null, statusCode: d.statusCode, deliveredAt: d.deliveredAt ?? this.store.stamp(), redelivery: d.redelivery ?? false, installationId: d.installationId ?? null });
    return id;
  }

  /** Delivery ids the app asked GitHub to redeliver, in order. */
  redeliveryAsks(): number[] {
    return [...this.store.redeliveryAsks];
  }

  /** Holds the next request of `method` ("*" any) whose path matches until the test releases it (a slow GitHub, a request in flight when its caller dies). */
  holdNext(method: string, pathPattern: RegExp, opts: { graphql?: GraphqlMatch } = {}): Hold {
    return this.holds.add(method, pathPattern, opts.graphql);
  }

  /** Holds the next GraphQL request of `operation` whose variables include `variables`. */
  holdNextGraphql(operation: string, variables?: Record<string, unknown>): Hold {
    return this.holds.add("POST", /^\/graphql$/, { operation, ...(variables ? { variables } : {}) });
  }

  /** Fails the next GraphQL request(s) of `operation` whose variables include `variables` with an HTTP status. */
  failNextGraphql(operation: string, status: number, opts: FailOptions & { variables?: Record<string, unknown> } = {}): void {
    const { variables, ...rest } = opts;
    this.faults.add("POST", /^\/graphql$/, status, { ...rest, graphql: { operation, ...(variables ? { variables } : {}) } });
  }

  /** Failures queued by failNext and not used yet. */
  pendingFaults(): number {
    return this.faults.pending();
  }

  /** Patch/diff media types of this PR answer 406 "diff too large" (also automatic beyond 300 files or 20,000 diff lines). */
  setPatchTooLarge(owner: string, repo: string, pull: number, yes: boolean): void {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}#${pull}`;
    if (yes) this.tooLarge.add(key);
    else this.tooLarge.delete(key);
  }

  /** Every issued installation token becomes unknown (401 Bad credentials). */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  /** Every issued installation token expires now (401 Bad credentials). */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  // ---- inspection --------------------------------------------------------

  /** A mark to pass to callsSince: the number of requests so far. */
  mark(): number {
    return this.requests.length;
  }

  /** Requests after `mark`, optionally only those of a method ("*" any) and path pattern. */
  callsSince(mark: number, method = "*", pathPattern?: RegExp): RecordedRequest[] {
    return this.requests.slice(mark).filter((r) => (method === "*" || r.method === method.toUpperCase()) && (!pathPattern || pathPattern.test(r.path)));
  }

  /** All recorded requests of a method ("*" any) whose path matches. */
  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.callsSince(0, method, pathPattern);
  }

  reviews(owner: string, repo: string, pull: number): FakeReview[] {
    const p = this.pull(owner, repo, pull);
    if (!p) return [];
    return p.reviews.map((r) => ({
      id: r.id,
      pull,
      user: r.user,
      state: r.state,
      event: r.event,
      body: r.body,
      commitId: r.commitId,
      submittedAt: r.submittedAt,
      comments: this.reviewComments(owner, repo, pull).filter((c) => c.reviewId === r.id),
    }));
  }

  reviewComments(owner: string, repo: string, pull: number): FakeReviewComment[] {
    const p = this.pull(owner, repo, pull);
    if (!p) return [];
    return p.reviewComments.map((c) => ({
      id: c.id,
      reviewId: c.reviewId,
      pull,
      path: c.path,
      line: c.line,
      side: c.side,
      startLine: c.startLine,
      startSide: c.startSide,
      position: c.position,
      body: c.body,
      commitId: c.commitId,
      user: c.user,
      inReplyToId: c.inReplyToId,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    }));
  }

  checkRuns(owner: string, repo: string, headSha?: string): FakeCheckRun[] {
    const r = this.store.repo(owner, repo);
    if (!r) return [];
    return r.checkRuns
      .filter((c) => headSha === undefined || c.headSha === headSha)
      .map((c) => ({
        id: c.id,
        name: c.name,
        headSha: c.headSha,
        status: c.status,
        conclusion: c.conclusion,
        externalId: c.externalId,
        detailsUrl: c.detailsUrl,
        startedAt: c.startedAt,
        completedAt: c.completedAt,
        output: { ...c.output },
        annotations: c.annotations.map((a) => ({ ...a })),
        updates: c.updates,
        user: c.user,
      }));
  }

  issueComments(owner: string, repo: string, issue: number): FakeIssueComment[] {
    const r = this.store.repo(owner, repo);
    return (r?.issueComments ?? []).filter((c) => c.issue === issue).map((c) => ({ ...c }));
  }

  labels(owner: string, repo: string, issue: number): string[] {
    return [...(this.store.repo(owner, repo)?.labels.get(issue) ?? [])];
  }

  labelEvents(owner: string, repo: string, issue: number): FakeLabelEvent[] {
    return (this.store.repo(owner, repo)?.labelEvents ?? []).filter((e) => e.issue === issue).map((e) => ({ ...e }));
  }

  /**
   * Forgets all state, recorded requests and queued faults, and restarts the
   * flakiness PRNG. Issued tokens stay valid (Probot caches them for an hour);
   * revokeTokens() drops them.
   */
  reset(): void {
    this.store.reset();
    this.requests.length = 0;
    this.faults.reset();
    this.holds.reset();
    this.tooLarge.clear();
    this.git.reset();
  }

  private pull(owner: string, repo: string, pull: number) {
    const r: RepoRec | undefined = this.store.repo(owner, repo);
    return r?.pulls.get(pull);
  }
}
