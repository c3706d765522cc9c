import { gitLines, gitOutput } from "./git-run.js";

// Periods a trend is read over: calendar years and quarters (by committer
// date, the day a commit entered the tree it was read from), or releases
// (by the tree's own release tags: a commit belongs to the first release
// whose tag contains it, as `git tag --contains` would say of it).

export type PeriodKind = "year" | "quarter" | "release";

export interface Period {
  /** "2024", "2024-Q2", "v2024.04", or "after v2025.10" for what no release contains yet. */
  label: string;
  /** The release tag and its commit, for releases. */
  tag?: string;
  commit?: string;
  /** Unix seconds: the period's first moment (calendar), or the release commit's date. */
  time: number;
}

export interface ReleaseTag {
  tag: string;
  commit: string;
  /** The tagged commit's committer date, Unix seconds. */
  time: number;
}

/** "2024" or "2024-Q2" for a Unix time, in UTC so the answer does not depend on the machine. */
export function calendarLabel(kind: "year" | "quarter", time: number): string {
  const d = new Date(time * 1000);
  const y = d.getUTCFullYear();
  return kind === "year" ? String(y) : `${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** The calendar periods from the one holding `from` to the one holding `to`, none skipped: a quiet year is a zero, not a gap in the axis. */
export function calendarPeriods(kind: "year" | "quarter", from: number, to: number): Period[] {
  const out: Period[] = [];
  const start = new Date(from * 1000);
  let y = start.getUTCFullYear();
  let q = kind === "year" ? 0 : Math.floor(start.getUTCMonth() / 3);
  const end = calendarLabel(kind, to);
  for (;;) {
    const time = Date.UTC(y, q * 3, 1) / 1000;
    const label = calendarLabel(kind, time);
    out.push({ label, time });
    if (label === end || out.length > 100_000) return out;
    if (kind === "year") y++;
    else if (++q === 4) (q = 0), y++;
  }
}

const RELEASE = /^v?\d+(?:\.\d+)+$/;

/**
 * Release tags, oldest first: v2024.04, v6.8, 1.2.3 (-rc and other suffixed
 * tags are not releases). A stable point release (v6.8.1 beside v6.8,
 * v2023.07.01 beside v2023.07) is left out: it lives on a branch of its own,
 * and its few backports would be a period of their own between two
 * releases of the main line.
 */
export function releaseTagsOf(tags: ReleaseTag[]): ReleaseTag[] {
  const names = new Set(tags.map((t) => t.tag));
  const kept = tags.filter((t) => {
    if (!RELEASE.test(t.tag)) return false;
    const cut = t.tag.lastIndexOf(".");
    return !names.has(t.tag.slice(0, cut));
  });
  return kept.sort((a, b) => compareVersions(a.tag, b.tag));
}

export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, "").split(".").map(Number);
  const pb = b.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The repository's release tags (lightweight or annotated), oldest first. */
export async function readReleaseTags(repo: string): Promise<ReleaseTag[]> {
  const { stdout } = await gitOutput(repo, ["for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(*objecttype)%00%(objecttype)", "refs/tags"]);
  const candidates: { tag: string; commit: string }[] = [];
  for (const line of stdout.toString("utf8").split("\n")) {
    const [tag, oid, peeled, peeledType, type] = line.split("\0");
    if (!tag || !RELEASE.test(tag)) continue;
    // An annotated tag names its commit through the tag object; a tag of a tree or blob is no release.
    if (type === "commit") candidates.push({ tag, commit: oid! });
    else if (type === "tag" && peeledType === "commit") candidates.push({ tag, commit: peeled! });
  }
  if (candidates.length === 0) return [];
  const times = await commitTimes(repo, [...new Set(candidates.map((c) => c.commit))]);
  return releaseTagsOf(candidates.map((c) => ({ ...c, time: times.get(c.commit) ?? 0 })));
}

async function commitTimes(repo: string, commits: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // --no-walk: each named commit once, no history.
  await gitLines(repo, ["log", "--no-walk=unsorted", "--format=%H %ct", ...commits], (line) => {
    const [h, t] = line.split(" ");
    if (h && t) out.set(h, Number(t));
  });
  return out;
}

export interface ReleaseMap {
  /** Releases reachable from the revision read, oldest first. */
  releases: ReleaseTag[];
  /** A commit's release: an index into `releases`, or `releases.length` for a commit no release contains yet. */
  releaseOf(commit: string): number;
}

/**
 * Which release first contains each commit reachable from `rev`: one
 * `git rev-list --topo-order --parents` (the commit graph alone, no trees:
 * 0.7 s for U-Boot's 100,000 commits, run beside the log of the paths),
 * children before their parents, so one pass hands each commit's earliest
 * release on to its parents: a commit's release is the oldest release
 * tagged on it or on any commit descending from it. A tag that is not an
 * ancestor of `rev` is left out (a release of another branch). `notBefore`
 * (Unix seconds) stops the walk at older commits: only the releases of
 * commits after it are wanted, and those releases descend from them.
 */
export async function releaseMap(repo: string, tags: ReleaseTag[], rev = "HEAD", notBefore?: number): Promise<ReleaseMap> {
  const tagged = new Map<string, number>();
  tags.forEach((t, i) => {
    if (!tagged.has(t.commit)) tagged.set(t.commit, i);
  });
  const NONE = tags.length;
  const first = new Map<string, number>();
  const age = notBefore === undefined ? [] : [`--max-age=${Math.floor(notBefore)}`];
  await gitLines(repo, ["rev-list", "--topo-order", "--parents", ...age, "--end-of-options", rev, "--"], (line) => {
    let space = line.indexOf(" ");
    const commit = space === -1 ? line : line.slice(0, space);
    const own = tagged.get(commit);
    let mine = first.get(commit) ?? NONE;
    if (own !== undefined && own < mine) mine = own;
    first.set(commit, mine);
    if (mine === NONE) return;
    while (space !== -1) {
      const next = line.indexOf(" ", space + 1);
      const parent = next === -1 ? line.slice(space + 1) : line.slice(space + 1, next);
      const theirs = first.get(parent);
      if (theirs === undefined || mine < theirs) first.set(parent, mine);
      space = next;
    }
  });
  // Only the releases of this history, renumbered in order.
  const kept = tags.map((t, i) => (first.get(t.commit) === i ? i : -1)).filter((i) => i !== -1);
  const index = new Map(kept.map((old, k) => [old, k]));
  const releases = kept.map((i) => tags[i]!);
  return { releases, releaseOf: (c) => index.get(first.get(c) ?? NONE) ?? releases.length };
}

/**
 * The periods of a release map; the commits after the last release are one
 * more ("after v2025.10", dated by its newest commit) when there are any.
 */
export function releasePeriods(map: ReleaseMap, unreleasedTime: number | null): Period[] {
  const out: Period[] = map.releases.map((r) => ({ label: r.tag, tag: r.tag, commit: r.commit, time: r.time }));
  if (unreleasedTime !== null) out.push({ label: map.releases.length > 0 ? `after ${map.releases.at(-1)!.tag}` : "unreleased", time: unreleasedTime });
  return out;
}
