import type { AppSettings } from "../config/types.js";
import type { PullLabel } from "../review/overrides.js";
import { statusOf, type Octokit, type PullRef, type RepoRef } from "./types.js";

/**
 * Who added each of `names` (the latest `labeled` event). `known`: the
 * pull request's latest label events, read with it (src/github/pull-view.ts);
 * the issue's events are listed only when a name's latest is not among them.
 */
export async function labelAdders(octokit: Octokit, pull: PullRef, names: string[], known?: { events: PullLabel[]; complete: boolean }): Promise<{ labels: PullLabel[]; calls: number }> {
  if (known && (known.complete || names.every((n) => known.events.some((e) => e.name === n)))) {
    return { labels: names.map((name) => known.events.filter((e) => e.name === name).at(-1) ?? { name, addedBy: null, addedAt: null }), calls: 0 };
  }
  let calls = 0;
  const events = await octokit.paginate(octokit.rest.issues.listEvents, { owner: pull.owner, repo: pull.repo, issue_number: pull.pull_number, per_page: 100 }, (res) => {
    calls++;
    return res.data;
  });
  const labels = names.map((name): PullLabel => {
    const added = events.filter((e) => e.event === "labeled" && (e as { label?: { name?: string } }).label?.name === name).at(-1);
    return { name, addedBy: added?.actor?.login ?? null, addedAt: added?.created_at ?? null };
  });
  return { labels, calls };
}

const RANK: Record<string, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const permissionCache = new Map<string, { role: string; at: number }>();
const PERMISSION_TTL_MS = 5 * 60 * 1000;

/**
 * Whether `login` may override findings: listed in the config's maintainers,
 * or holding at least the configured role. GitHub reports a maintainer as
 * permission "write" with role_name "maintain", so the role name decides.
 */
export async function mayOverride(octokit: Octokit, repo: RepoRef, login: string, settings: AppSettings, now: number): Promise<{ allowed: boolean; calls: number }> {
  if (settings.maintainers.includes(login)) return { allowed: true, calls: 0 };
  const key = `${repo.owner}/${repo.repo}:${login}`;
  const cached = permissionCache.get(key);
  let role: string;
  let calls = 0;
  if (cached && now - cached.at < PERMISSION_TTL_MS) role = cached.role;
  else {
    calls = 1;
    try {
      const res = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
      const data = res.data as { permission: string; role_name?: string };
      role = (RANK[data.role_name ?? ""] ?? 0) > (RANK[data.permission] ?? 0) ? data.role_name! : data.permission;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      role = "none";
    }
    permissionCache.set(key, { role, at: now });
  }
  return { allowed: (RANK[role] ?? 0) >= RANK[settings.overridePermission]!, calls };
}

/** Takes an override label back off and says why, so the contributor is not left guessing. */
export async function rejectLabel(octokit: Octokit, pull: PullRef, label: string, by: string, settings: AppSettings): Promise<number> {
  try {
    await octokit.rest.issues.removeLabel({ owner: pull.owner, repo: pull.repo, issue_number: pull.pull_number, name: label });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  await octokit.rest.issues.createComment({
    owner: pull.owner,
    repo: pull.repo,
    issue_number: pull.pull_number,
    body: `@${by} the \`${label}\` label overrides patchwarden's findings, so only maintainers (${settings.overridePermission} access or above, or listed in the config's \`maintainers\`) can add it. I removed it; ask a maintainer if the finding is wrong.\n\n<!-- patchwarden:label-rejected -->`,
  });
  return 2;
}
