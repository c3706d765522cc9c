// Public types of the fake GitHub: what tests pass in to set up state and
// what they get back when they inspect what the app did.

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type AccessLevel = "read" | "write";

export interface FakeGitHubOptions {
  appId: number;
  /** PEM of the app's public key; the app JWT (RS256) is verified with it. */
  publicKeyPem: string;
  /** App slug; the bot user is `${appSlug}[bot]`. Default "patchwarden". */
  appSlug?: string;
  /** Share (0..1) of token-authenticated requests answered with a random 500/502/503. Default 0. */
  flakiness?: number;
  /** Seed of the PRNG behind `flakiness`. Default 1. */
  seed?: number;
  /** Validate POST/PATCH/PUT bodies against GitHub's OpenAPI description. Default true. */
  validateBodies?: boolean;
  /** Clock for created_at, token and JWT expiry. Default `() => new Date()`. */
  now?: () => Date;
}

export interface InstallationOptions {
  /** Token permissions the installation grants. Default: metadata read, contents read, pull_requests/issues/checks write. */
  permissions?: Record<string, AccessLevel>;
  /** Type of the owner account. Default "Organization". */
  accountType?: "Organization" | "User";
}

export interface RepoOptions {
  defaultBranch?: string;
  /** Default true. Decides what the permission endpoint answers for known non-collaborators ("none" private, "read" public). */
  private?: boolean;
}

export interface FakeFile {
  filename: string;
  status?: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions?: number;
  deletions?: number;
  changes?: number;
  /** The hunks of the file (from the first `@@`), as GitHub's files API serves them. Absent for binary files. */
  patch?: string;
  previous_filename?: string;
  sha?: string;
}

export interface FakeCommitPerson {
  name: string;
  email: string;
  date?: string;
  /** GitHub login this author maps to; null/absent → `author: null` in the API, like an unknown email. */
  login?: string | null;
}

export interface FakeCommit {
  sha: string;
  message: string;
  author?: FakeCommitPerson;
  committer?: FakeCommitPerson;
  /** Parent shas. Default: the previous commit of the PR (or the base sha for the first). */
  parents?: string[];
}

export interface FakePullRequestInput {
  number: number;
  title: string;
  body?: string;
  headSha: string;
  /** Head branch name. Default `pr-<number>`. */
  headRef?: string;
  baseRef: string;
  baseSha: string;
  draft?: boolean;
  state?: "open" | "closed";
  labels?: string[];
  /** Login of the author. */
  user: string;
  /** `git format-patch` text served for Accept: application/vnd.github.patch (or .v3.patch). */
  patch: string;
  /** Unified diff served for vnd.github.diff. Default: the diff parts of `patch`. */
  diff?: string;
  /** Default: derived from `diff` (or `patch`). */
  files?: FakeFile[];
  /** Default: derived from the `From <sha>` messages of `patch`. */
  commits?: FakeCommit[];
}

export interface LabelEventInput {
  label: string;
  actor: string;
  event: "labeled" | "unlabeled";
  createdAt: string;
}

export interface FailOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Only GraphQL requests of this operation (path `/graphql`). */
  graphql?: GraphqlMatch;
}

/** A GraphQL request by its operation's name and some of its variables (compared as JSON). */
export interface GraphqlMatch {
  operation: string;
  variables?: Record<string, unknown>;
}

export type AuthKind = "jwt" | "token" | "none";

export interface RecordedRequest {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path under `/api/v3` without the query, e.g. `/repos/o/r/pulls/1`. */
  path: string;
  /** Path as received, with the `/api/v3` prefix. */
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Status answered (0 while the request is in flight). */
  status: number;
  auth: AuthKind;
  installationId: number | null;
  /** Name of the matched route (e.g. "pulls.get"), or null. */
  route: string | null;
  /** Which fault answered, if any. */
  fault: "failNext" | "flaky" | "held" | null;
  at: string;
  /** For `POST /api/graphql` (path `/graphql`): the operation's name and variables. */
  graphql?: { operation: string | null; variables: Record<string, unknown> };
}

export interface FakeReviewComment {
  id: number;
  reviewId: number | null;
  pull: number;
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
  createdAt: string;
  updatedAt: string;
}

export type ReviewState = "COMMENTED" | "CHANGES_REQUESTED" | "APPROVED" | "PENDING" | "DISMISSED";

export interface FakeReview {
  id: number;
  pull: number;
  user: string;
  state: ReviewState;
  /** The event the review was posted with (undefined: pending review). */
  event: "COMMENT" | "REQUEST_CHANGES" | "APPROVE" | undefined;
  body: string;
  commitId: string;
  submittedAt: string | null;
  comments: FakeReviewComment[];
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** All annotations, from the create request and every update, in order. */
  annotations: FakeAnnotation[];
  /** Number of PATCH requests applied. */
  updates: number;
  /** Login of the creator (the bot). */
  user: string;
}

export interface FakeIssueComment {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeLabelEvent {
  id: number;
  issue: number;
  event: "labeled" | "unlabeled";
  label: string;
  actor: string;
  createdAt: string;
}
