import { statusOf, type Octokit, type RepoRef } from "./types.js";

const byRepoAndRef = new Map<string, { sha: string; text: string } | null>();
const byBlob = new Map<string, string>();
const MAX_CACHED = 64;

/**
 * MAINTAINERS from the pull request's base, or null when the tree has none.
 * Cached by repository and base sha, so only the first review against a base
 * costs a call (none when the pull request's GraphQL read brought it along:
 * rememberBaseMaintainers); the text is also kept by blob sha.
 */
export async function readBaseMaintainers(octokit: Octokit, repo: RepoRef, baseSha: string): Promise<{ sha: string; text: string; calls: number } | null> {
  const key = `${repo.owner}/${repo.repo}@${baseSha}`;
  if (byRepoAndRef.has(key)) {
    const hit = byRepoAndRef.get(key);
    return hit ? { ...hit, calls: 0 } : null;
  }
  let found: { sha: string; text: string } | null = null;
  try {
    const res = await octokit.rest.repos.getContent({ ...repo, path: "MAINTAINERS", ref: baseSha });
    const data = res.data as { sha?: string; content?: string; encoding?: string };
    if (data.sha && data.content !== undefined) {
      const text = byBlob.get(data.sha) ?? Buffer.from(data.content, (data.encoding ?? "base64") as BufferEncoding).toString("utf8");
      keepBlob(data.sha, text);
      found = { sha: data.sha, text };
    }
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  remember(key, found);
  return found ? { ...found, calls: 1 } : null;
}

/** Whether MAINTAINERS at this base is known already (found or known absent): asking costs no call. */
export function knowsBaseMaintainers(repo: RepoRef, baseSha: string): boolean {
  return byRepoAndRef.has(`${repo.owner}/${repo.repo}@${baseSha}`);
}

/** MAINTAINERS at a base, read some other way (with the pull request, over GraphQL); null: the tree has none. */
export function rememberBaseMaintainers(repo: RepoRef, baseSha: string, found: { sha: string; text: string } | null): void {
  if (found) {
    const text = byBlob.get(found.sha) ?? found.text;
    keepBlob(found.sha, text);
    found = { sha: found.sha, text };
  }
  remember(`${repo.owner}/${repo.repo}@${baseSha}`, found);
}

/** Texts by blob sha, as many as bases: one MAINTAINERS of a large tree is ~1 MB. */
function keepBlob(sha: string, text: string): void {
  if (byBlob.size >= MAX_CACHED && !byBlob.has(sha)) byBlob.delete(byBlob.keys().next().value!);
  byBlob.set(sha, text);
}

function remember(key: string, found: { sha: string; text: string } | null): void {
  if (byRepoAndRef.size >= MAX_CACHED && !byRepoAndRef.has(key)) byRepoAndRef.delete(byRepoAndRef.keys().next().value!);
  byRepoAndRef.set(key, found);
}
