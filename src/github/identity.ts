import type { Octokit } from "./types.js";

/** Who this app is on GitHub: its markers count only in what this account wrote. */
export interface AppIdentity {
  id: number;
  slug: string;
  /** The bot account that authors the app's reviews and comments: `<slug>[bot]`. */
  login: string;
}

let known: Promise<AppIdentity> | null = null;

/**
 * Asks GitHub once per process (`GET /app`; Probot's auth signs `/app`
 * routes with the app's JWT even on an installation's Octokit) and
 * remembers the answer. A failed ask is not remembered: the next review asks
 * again rather than trusting nobody, or anybody, forever.
 */
export function appIdentity(octokit: Octokit): Promise<AppIdentity> {
  if (known) return known;
  const asking = (async () => {
    const { data } = await octokit.rest.apps.getAuthenticated();
    if (!data?.slug) throw new Error("GET /app answered without the app's slug");
    return { id: data.id, slug: data.slug, login: `${data.slug}[bot]` };
  })();
  known = asking;
  asking.catch(() => {
    if (known === asking) known = null;
  });
  return asking;
}
