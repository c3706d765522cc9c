// The fake's state: installations, repositories, pull requests and what the
// app wrote. Names of owners, repositories and users are case-insensitive,
// as on GitHub; they are kept as given for display.
import { createHash } from "node:crypto";
import {
  commentableLines,
  diffOfPatch,
  filePatchText,
  mergeByPath,
  parseDiff,
  parseFilePatch,
  splitMbox,
  type CommentableLines,
  type FileDiff,
} from "./diff-lines.js";
import type {
  AccessLevel,
  FakeCheckRun,
  FakeCommit,
  FakeFile,
  FakeLabelEvent,
  FakePullRequestInput,
  InstallationOptions,
  Permission,
  RepoOptions,
  ReviewState,
} from "./types.js";

export const DEFAULT_PERMISSIONS: Record<string, AccessLevel> = {
  metadata: "read",
  contents: "read",
  pull_requests: "write",
  issues: "write",
  checks: "write",
};

export interface Installation {
  id: number;
  owner: string;
  accountType: "Organization" | "User";
  permissions: Record<string, AccessLevel>;
  createdAt: string;
}

export interface UserRec {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface ReviewRec {
  id: number;
  user: string;
  state: ReviewState;
  event: "COMMENT" | "REQUEST_CHANGES" | "APPROVE" | undefined;
  body: string;
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRec {
  id: number;
  reviewId: number | null;
  path: string;
  line: number | null;
  side: "LEFT" | "RIGHT";
  startLine: number | null;
  startSide: "LEFT" | "RIGHT" | null;
  position: number | null;
  body: string;
  commitId: string;
  user: string;
  inReplyToId: number | null;
  diffHunk: string;
  createdAt: string;
  updatedAt: string;
}

export interface PullRec {
  id: number;
  number: number;
  title: string;
  body: string | null;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  draft: boolean;
  state: "open" | "closed";
  user: string;
  patch: string;
  diff: string;
  files: ResolvedFile[];
  commits: ResolvedCommit[];
  fileDiffs: FileDiff[];
  commentable: Map<string, CommentableLines>;
  diffLineCount: number;
  tooLarge: boolean;
  reviews: ReviewRec[];
  reviewComments: ReviewCommentRec[];
  createdAt: string;
}

export interface ResolvedFile {
  filename: string;
  status: NonNullable<FakeFile["status"]>;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
  sha: string;
}

export interface ResolvedCommit {
  sha: string;
  message: string;
  author: { name: string; email: string; date: string; login: string | null };
  committer: { name: string; email: string; date: string; login: string | null };
  parents: string[];
}

export interface CheckRunRec extends FakeCheckRun {
  checkSuiteId: number;
}

export interface IssueCommentRec {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface RepoRec {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  /** ref (branch name or sha) → path → content */
  files: Map<string, Map<string, string>>;
  /** lower-cased login → permission */
  collaborators: Map<string, { login: string; permission: Permission }>;
  pulls: Map<number, PullRec>;
  labels: Map<number, string[]>;
  labelEvents: FakeLabelEvent[];
  issueComments: IssueCommentRec[];
  checkRuns: CheckRunRec[];
}

export function repoKey(owner: string, repo: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}`;
}

/** Git's blob id of a text. */
export function blobSha(content: string): string {
  const buf = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${buf.length}\0`).update(buf).digest("hex");
}

/** A timestamp the way GitHub writes it (no milliseconds). */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function normaliseRef(ref: string): string {
  return ref.replace(/^refs\/heads\//, "").replace(/^refs\/tags\//, "");
}

export interface HookDeliveryRec {
  id: number;
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
}

export class Store {
  installations = new Map<number, Installation>();
  repos = new Map<string, RepoRec>();
  reposById = new Map<number, RepoRec>();
  users = new Map<string, UserRec>();
  /** The app's webhook deliveries, oldest first (`GET /app/hook/deliveries` lists newest first). */
  hookDeliveries: HookDeliveryRec[] = [];
  /** Delivery ids a redelivery was asked for (`POST /app/hook/deliveries/:id/attempts`), in order. */
  redeliveryAsks: number[] = [];
  private counter = 1_000_000;

  constructor(
    readonly now: () => Date,
    readonly botLogin: string,
    readonly botId: number,
  ) {
    this.reset();
  }

  reset(): void {
    this.installations.clear();
    this.repos.clear();
    this.reposById.clear();
    this.users.clear();
    this.hookDeliveries = [];
    this.redeliveryAsks = [];
    this.counter = 1_000_000;
    this.users.set(this.botLogin.toLowerCase(), { login: this.botLogin, id: this.botId, type: "Bot" });
  }

  nextId(): number {
    return ++this.counter;
  }

  stamp(): string {
    return iso(this.now());
  }

  /** The user record of a login, created on first mention. */
  user(login: string): UserRec {
    const key = login.toLowerCase();
    let u = this.users.get(key);
    if (!u) {
      u = { login, id: this.nextId(), type: login.endsWith("[bot]") ? "Bot" : "User" };
      this.users.set(key, u);
    }
    return u;
  }

  knowsUser(login: string): boolean {
    return this.users.has(login.toLowerCase());
  }

  addInstallation(id: number, owner: string, opts: InstallationOptions = {}): void {
    this.installations.set(id, {
      id,
      owner,
      accountType: opts.accountType ?? "Organization",
      permissions: { ...(opts.permissions ?? DEFAULT_PERMISSIONS) },
      createdAt: this.stamp(),
    });
    const u = this.user(owner);
    u.type = opts.accountType ?? "Organization";
  }

  installationFor(owner: string): Installation | undefined {
    for (const i of this.installations.values()) if (i.owner.toLowerCase() === owner.toLowerCase()) return i;
    return undefined;
  }

  addRepo(owner: string, name: string, opts: RepoOptions = {}): RepoRec {
    const key = repoKey(owner, name);
    const existing = this.repos.get(key);
    if (existing) {
      if (opts.defaultBranch) existing.defaultBranch = opts.defaultBranch;
      if (opts.private !== undefined) existing.private = opts.private;
      return existing;
    }
    const r: RepoRec = {
      id: this.nextId(),
      owner,
      name,
      defaultBranch: opts.defaultBranch ?? "main",
      private: opts.private ?? true,
      createdAt: this.stamp(),
      files: new Map(),
      collaborators: new Map(),
      pulls: new Map(),
      labels: new Map(),
      labelEvents: [],
      issueComments: [],
      checkRuns: [],
    };
    this.user(owner);
    this.repos.set(key, r);
    this.reposById.set(r.id, r);
    return r;
  }

  repo(owner: string, name: string): RepoRec | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  /** The repository, created with defaults when a test sets state on one it did not add. */
  ensureRepo(owner: string, name: string): RepoRec {
    return this.repo(owner, name) ?? this.addRepo(owner, name);
  }

  setFile(owner: string, name: string, ref: string, path: string, content: string | null): void {
    const r = this.ensureRepo(owner, name);
    const key = normaliseRef(ref);
    let files = r.files.get(key);
    if (!files) {
      files = new Map();
      r.files.set(key, files);
    }
    const p = path.replace(/^\/+/, "");
    if (content === null) files.delete(p);
    else files.set(p, content);
  }

  file(r: RepoRec, ref: string | undefined, path: string): string | undefined {
    return r.files.get(normaliseRef(ref ?? r.defaultBranch))?.get(path.replace(/^\/+|\/+$/g, ""));
  }

  /** Paths directly under a directory at a ref (for the contents API's directory answer). */
  listDir(r: RepoRec, ref: string | undefined, dir: string): { name: string; path: string; type: "file" | "dir"; content?: string }[] | undefined {
    const files = r.files.get(normaliseRef(ref ?? r.defaultBranch));
    if (!files) return undefined;
    const prefix = dir.replace(/^\/+|\/+$/g, "");
    const seen = new Map<string, { name: string; path: string; type: "file" | "dir"; content?: string }>();
    for (const [p, content] of files) {
      if (prefix && !p.startsWith(`${prefix}/`)) continue;
      const rest = prefix ? p.slice(prefix.length + 1) : p;
      const [first, ...more] = rest.split("/");
      if (!first) continue;
      const full = prefix ? `${prefix}/${first}` : first;
      if (more.length) seen.set(full, { name: first, path: full, type: "dir" });
      else seen.set(full, { name: first, path: full, type: "file", content });
    }
    return seen.size ? [...seen.values()].sort((a, b) => a.name.localeCompare(b.name)) : undefined;
  }

  addPullRequest(owner: string, name: string, pr: FakePullRequestInput): PullRec {
    const r = this.ensureRepo(owner, name);
    this.user(pr.user);
    const diff = pr.diff ?? diffOfPatch(pr.patch);
    let fileDiffs: FileDiff[];
    let files: ResolvedFile[];
    if (pr.diff !== undefined || !pr.files) {
      fileDiffs = mergeByPath(parseDiff(diff));
    } else {
      fileDiffs = pr.files.filter((f) => f.patch !== undefined).map((f) => parseFilePatch(f.filename, f.patch!, toStatus(f.status), f.previous_filename));
    }
    if (pr.files) {
      files = pr.files.map((f) => {
        const additions = f.additions ?? 0;
        const deletions = f.deletions ?? 0;
        return {
          filename: f.filename,
          status: f.status ?? "modified",
          additions,
          deletions,
          changes: f.changes ?? additions + deletions,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
          ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
          sha: f.sha ?? blobSha(`${pr.headSha}:${f.filename}`),
        };
      });
    } else {
      files = fileDiffs.map((f) => {
        const patch = filePatchText(f);
        return {
          filename: f.path,
          status: f.status,
          additions: f.additions,
          deletions: f.deletions,
          changes: f.additions + f.deletions,
          ...(patch !== undefined ? { patch } : {}),
          ...(f.status === "renamed" && f.oldPath ? { previous_filename: f.oldPath } : {}),
          sha: blobSha(`${pr.headSha}:${f.path}`),
        };
      });
    }
    const commits = resolveCommits(pr, this.stamp());
    // Adding a pull request under a number that exists is a push: on GitHub
    // the conversation (reviews, review comments) stays with the pull request.
    const pushedOver = r.pulls.get(pr.number);
    for (const c of commits) {
      if (c.author.login) this.user(c.author.login);
      if (c.committer.login) this.user(c.committer.login);
    }
    const rec: PullRec = {
      id: pushedOver?.id ?? this.nextId(),
      number: pr.number,
      title: pr.title,
      body: pr.body ?? null,
      headSha: pr.headSha,
      headRef: pr.headRef ?? `pr-${pr.number}`,
      baseRef: pr.baseRef,
      baseSha: pr.baseSha,
      draft: pr.draft ?? false,
      state: pr.state ?? "open",
      user: pr.user,
      patch: pr.patch,
      diff,
      files,
      commits,
      fileDiffs,
      commentable: commentableLines(fileDiffs),
      diffLineCount: diff.split("\n").length,
      tooLarge: false,
      reviews: pushedOver?.reviews ?? [],
      reviewComments: pushedOver?.reviewComments ?? [],
      createdAt: pushedOver?.createdAt ?? this.stamp(),
    };
    r.pulls.set(pr.number, rec);
    // Labels, like the conversation, stay on a push unless the push says otherwise.
    r.labels.set(pr.number, pr.labels === undefined && pushedOver ? (r.labels.get(pr.number) ?? []) : [...new Set(pr.labels ?? [])]);
    return rec;
  }

  setCollaboratorPermission(owner: string, name: string, user: string, permission: Permission): void {
    const r = this.ensureRepo(owner, name);
    this.user(user);
    r.collaborators.set(user.toLowerCase(), { login: user, permission });
  }

  /** Records a label event and applies it to the issue's current labels. */
  labelEvent(r: RepoRec, issue: number, ev: { label: string; actor: string; event: "labeled" | "unlabeled"; createdAt: string }): FakeLabelEvent {
    this.user(ev.actor);
    const rec: FakeLabelEvent = { id: this.nextId(), issue, event: ev.event, label: ev.label, actor: ev.actor, createdAt: ev.createdAt };
    r.labelEvents.push(rec);
    const labels = r.labels.get(issue) ?? [];
    if (ev.event === "labeled" && !labels.includes(ev.label)) labels.push(ev.label);
    if (ev.event === "unlabeled") {
      const i = labels.indexOf(ev.label);
      if (i >= 0) labels.splice(i, 1);
    }
    r.labels.set(issue, labels);
    return rec;
  }
}

function toStatus(s: FakeFile["status"]): "added" | "removed" | "modified" | "renamed" | "copied" {
  return s === "added" || s === "removed" || s === "renamed" || s === "copied" ? s : "modified";
}

function resolveCommits(pr: FakePullRequestInput, stamp: string): ResolvedCommit[] {
  const person = (p: { name: string; email: string; date?: string; login?: string | null } | undefined, fallback: ResolvedCommit["author"]) =>
    p ? { name: p.name, email: p.email, date: p.date ?? fallback.date, login: p.login ?? null } : fallback;
  const defaultPerson = { name: pr.user, email: `${pr.user}@users.noreply.github.com`, date: stamp, login: pr.user };
  let list: FakeCommit[];
  if (pr.commits) {
    list = pr.commits;
  } else {
    const mails = splitMbox(pr.patch);
    list = mails.length
      ? mails.map((m, i) => ({
          sha: m.sha ?? (i === mails.length - 1 ? pr.headSha : blobSha(`${pr.headSha}:${i}`)),
          message: m.message,
          author: { name: m.authorName || pr.user, email: m.authorEmail, ...(m.date ? { date: m.date } : {}), login: null },
        }))
      : [{ sha: pr.headSha, message: pr.title, author: { name: pr.user, email: `${pr.user}@users.noreply.github.com`, login: pr.user } }];
  }
  return list.map((c, i) => {
    const author = person(c.author, defaultPerson);
    return {
      sha: c.sha,
      message: c.message,
      author,
      committer: person(c.committer, author),
      parents: c.parents ?? [i === 0 ? pr.baseSha : list[i - 1]!.sha],
    };
  });
}
