// JSON bodies shaped like GitHub's REST answers (the fields a client reads,
// with GitHub's names and types; not every rarely-used URL template).
import { blobSha, type CheckRunRec, type Installation, type IssueCommentRec, type PullRec, type RepoRec, type ResolvedCommit, type ReviewCommentRec, type ReviewRec, type Store, type UserRec } from "./store.js";
import type { FakeLabelEvent } from "./types.js";

export interface Urls {
  /** e.g. http://127.0.0.1:PORT/api/v3 */
  api: string;
  /** e.g. http://127.0.0.1:PORT */
  web: string;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  ownerLogin: string;
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString("base64url")}`;
}

export function userJson(u: UserRec, urls: Urls, app?: AppInfo): Record<string, unknown> {
  const web = u.type === "Bot" && app && u.login === `${app.slug}[bot]` ? `${urls.web}/apps/${app.slug}` : `${urls.web}/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === "Bot" ? "BOT" : u.type === "Organization" ? "O" : "U", u.id),
    avatar_url: `${urls.web}/avatars/u/${u.id}?v=4`,
    gravatar_id: "",
    url: `${urls.api}/users/${encodeURIComponent(u.login)}`,
    html_url: web,
    type: u.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function appJson(app: AppInfo, store: Store, urls: Urls): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: userJson(store.user(app.ownerLogin), urls),
    name: app.name,
    description: "",
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: { checks: "write", contents: "read", issues: "write", metadata: "read", pull_requests: "write" },
    events: ["pull_request", "issues", "label"],
  };
}

export function installationJson(i: Installation, store: Store, urls: Urls, app: AppInfo): Record<string, unknown> {
  return {
    id: i.id,
    account: userJson(store.user(i.owner), urls),
    repository_selection: "all",
    access_tokens_url: `${urls.api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/organizations/${i.owner}/settings/installations/${i.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: store.user(i.owner).id,
    target_type: i.accountType,
    permissions: i.permissions,
    events: ["pull_request"],
    created_at: i.createdAt,
    updated_at: i.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function repoJson(r: RepoRec, store: Store, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  return {
    id: r.id,
    node_id: nodeId("R", r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: userJson(store.user(r.owner), urls),
    html_url: `${urls.web}/${full}`,
    description: null,
    fork: false,
    url: api,
    pulls_url: `${api}/pulls{/number}`,
    issues_url: `${api}/issues{/number}`,
    contents_url: `${api}/contents/{+path}`,
    git_url: `git://${urls.web.replace(/^https?:\/\//, "")}/${full}.git`,
    clone_url: `${urls.web}/${full}.git`,
    created_at: r.createdAt,
    updated_at: r.createdAt,
    pushed_at: r.createdAt,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: "C",
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    archived: false,
    disabled: false,
    open_issues_count: [...r.pulls.values()].filter((p) => p.state === "open").length,
    visibility: r.private ? "private" : "public",
    forks: 0,
    open_issues: [...r.pulls.values()].filter((p) => p.state === "open").length,
    watchers: 0,
    default_branch: r.defaultBranch,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function labelJson(name: string, r: RepoRec, urls: Urls): Record<string, unknown> {
  const id = Number.parseInt(blobSha(`label:${r.id}:${name}`).slice(0, 8), 16);
  return {
    id,
    node_id: nodeId("LA", id),
    url: `${urls.api}/repos/${r.owner}/${r.name}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

function authorAssociation(login: string, r: RepoRec): string {
  if (login.toLowerCase() === r.owner.toLowerCase()) return "OWNER";
  const c = r.collaborators.get(login.toLowerCase());
  if (c && c.permission !== "none") return "COLLABORATOR";
  return login.endsWith("[bot]") ? "NONE" : "CONTRIBUTOR";
}

export function pullJson(p: PullRec, r: RepoRec, store: Store, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  const repo = repoJson(r, store, urls);
  const owner = userJson(store.user(r.owner), urls);
  const additions = p.files.reduce((n, f) => n + f.additions, 0);
  const deletions = p.files.reduce((n, f) => n + f.deletions, 0);
  const labels = (r.labels.get(p.number) ?? []).map((l) => labelJson(l, r, urls));
  return {
    url: `${api}/pulls/${p.number}`,
    id: p.id,
    node_id: nodeId("PR", p.id),
    html_url: `${urls.web}/${full}/pull/${p.number}`,
    diff_url: `${urls.web}/${full}/pull/${p.number}.diff`,
    patch_url: `${urls.web}/${full}/pull/${p.number}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(store.user(p.user), urls),
    body: p.body,
    labels,
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.createdAt,
    closed_at: p.state === "closed" ? p.createdAt : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${r.owner}:${p.headRef}`, ref: p.headRef, sha: p.headSha, user: owner, repo },
    base: { label: `${r.owner}:${p.baseRef}`, ref: p.baseRef, sha: p.baseSha, user: owner, repo },
    _links: {
      self: { href: `${api}/pulls/${p.number}` },
      html: { href: `${urls.web}/${full}/pull/${p.number}` },
      issue: { href: `${api}/issues/${p.number}` },
      comments: { href: `${api}/issues/${p.number}/comments` },
      review_comments: { href: `${api}/pulls/${p.number}/comments` },
      commits: { href: `${api}/pulls/${p.number}/commits` },
      statuses: { href: `${api}/statuses/${p.headSha}` },
    },
    author_association: authorAssociation(p.user, r),
    auto_merge: null,
    draft: p.draft,
    merged: false,
    mergeable: p.state === "open" ? true : null,
    rebaseable: p.state === "open" ? true : null,
    mergeable_state: p.state === "open" ? "clean" : "unknown",
    merged_by: null,
    comments: r.issueComments.filter((c) => c.issue === p.number).length,
    review_comments: p.reviewComments.length,
    maintainer_can_modify: false,
    commits: p.commits.length,
    additions,
    deletions,
    changed_files: p.files.length,
  };
}

export function commitJson(c: ResolvedCommit, r: RepoRec, store: Store, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  return {
    sha: c.sha,
    node_id: nodeId("C", Number.parseInt(c.sha.slice(0, 8), 16) || 1),
    commit: {
      author: { name: c.author.name, email: c.author.email, date: c.author.date },
      committer: { name: c.committer.name, email: c.committer.email, date: c.committer.date },
      message: c.message,
      tree: { sha: blobSha(`tree:${c.sha}`), url: `${api}/git/trees/${blobSha(`tree:${c.sha}`)}` },
      url: `${api}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    url: `${api}/commits/${c.sha}`,
    html_url: `${urls.web}/${full}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    author: c.author.login ? userJson(store.user(c.author.login), urls) : null,
    committer: c.committer.login ? userJson(store.user(c.committer.login), urls) : null,
    parents: c.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${urls.web}/${full}/commit/${sha}` })),
  };
}

export function fileJson(f: PullRec["files"][number], p: PullRec, r: RepoRec, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const enc = f.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${urls.web}/${full}/blob/${p.headSha}/${enc}`,
    raw_url: `${urls.web}/${full}/raw/${p.headSha}/${enc}`,
    contents_url: `${urls.api}/repos/${full}/contents/${enc}?ref=${p.headSha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
  };
}

export function reviewJson(rv: ReviewRec, p: PullRec, r: RepoRec, store: Store, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  return {
    id: rv.id,
    node_id: nodeId("PRR", rv.id),
    user: userJson(store.user(rv.user), urls),
    body: rv.body,
    state: rv.state,
    html_url: `${urls.web}/${full}/pull/${p.number}#pullrequestreview-${rv.id}`,
    pull_request_url: `${urls.api}/repos/${full}/pulls/${p.number}`,
    author_association: authorAssociation(rv.user, r),
    _links: {
      html: { href: `${urls.web}/${full}/pull/${p.number}#pullrequestreview-${rv.id}` },
      pull_request: { href: `${urls.api}/repos/${full}/pulls/${p.number}` },
    },
    ...(rv.submittedAt ? { submitted_at: rv.submittedAt } : {}),
    commit_id: rv.commitId,
  };
}

export function reviewCommentJson(c: ReviewCommentRec, p: PullRec, r: RepoRec, store: Store, urls: Urls): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  return {
    url: `${api}/pulls/comments/${c.id}`,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: nodeId("PRRC", c.id),
    diff_hunk: c.diffHunk,
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commitId,
    original_commit_id: c.commitId,
    user: userJson(store.user(c.user), urls),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: `${urls.web}/${full}/pull/${p.number}#discussion_r${c.id}`,
    pull_request_url: `${api}/pulls/${p.number}`,
    author_association: authorAssociation(c.user, r),
    _links: {
      self: { href: `${api}/pulls/comments/${c.id}` },
      html: { href: `${urls.web}/${full}/pull/${p.number}#discussion_r${c.id}` },
      pull_request: { href: `${api}/pulls/${p.number}` },
    },
    ...(c.inReplyToId !== null ? { in_reply_to_id: c.inReplyToId } : {}),
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startSide,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: "line",
  };
}

export function issueCommentJson(c: IssueCommentRec, r: RepoRec, store: Store, urls: Urls, app?: AppInfo): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  const isPull = r.pulls.has(c.issue);
  const u = store.user(c.user);
  return {
    id: c.id,
    node_id: nodeId("IC", c.id),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${full}/${isPull ? "pull" : "issues"}/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(u, urls, app),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${api}/issues/${c.issue}`,
    author_association: authorAssociation(c.user, r),
    performed_via_github_app: app && u.login === `${app.slug}[bot]` ? appJson(app, store, urls) : null,
  };
}

export function checkRunJson(c: CheckRunRec, r: RepoRec, store: Store, urls: Urls, app: AppInfo): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const api = `${urls.api}/repos/${full}`;
  const pulls = [...r.pulls.values()]
    .filter((p) => p.headSha === c.headSha && p.state === "open")
    .map((p) => ({
      url: `${api}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: { ref: p.headRef, sha: p.headSha, repo: { id: r.id, url: api, name: r.name } },
      base: { ref: p.baseRef, sha: p.baseSha, repo: { id: r.id, url: api, name: r.name } },
    }));
  return {
    id: c.id,
    head_sha: c.headSha,
    node_id: nodeId("CR", c.id),
    external_id: c.externalId ?? "",
    url: `${api}/check-runs/${c.id}`,
    html_url: `${urls.web}/${full}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${urls.web}/apps/${app.slug}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: {
      title: c.output.title,
      summary: c.output.summary,
      text: c.output.text,
      annotations_count: c.annotations.length,
      annotations_url: `${api}/check-runs/${c.id}/annotations`,
    },
    name: c.name,
    check_suite: { id: c.checkSuiteId },
    app: appJson(app, store, urls),
    pull_requests: pulls,
  };
}

export function annotationJson(a: CheckRunRec["annotations"][number], c: CheckRunRec, r: RepoRec, urls: Urls): Record<string, unknown> {
  return {
    path: a.path,
    blob_href: `${urls.web}/${r.owner}/${r.name}/blob/${c.headSha}/${a.path}`,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
  };
}

export function labelEventJson(e: FakeLabelEvent, r: RepoRec, store: Store, urls: Urls, app: AppInfo): Record<string, unknown> {
  const actor = store.user(e.actor);
  return {
    id: e.id,
    node_id: nodeId(e.event === "labeled" ? "LE" : "UNLE", e.id),
    url: `${urls.api}/repos/${r.owner}/${r.name}/issues/events/${e.id}`,
    actor: userJson(actor, urls, app),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: e.createdAt,
    label: { name: e.label, color: "ededed" },
    performed_via_github_app: actor.login === `${app.slug}[bot]` ? appJson(app, store, urls) : null,
  };
}
