// GitHub is the only store: what the bot posted is found again from hidden
// HTML comments in its own review and comment bodies. Which bodies are its
// own is the caller's to decide (by author); this module trusts what it gets.
import { FingerprintFilter } from "./fingerprint-filter.js";

// A marker counts only where the bot puts it, at the very end of a body:
// text quoted from the pull request earlier in the same body is not one.
const FP = /^<!-- patchwarden:fp=([0-9a-f-]+) -->$/;
const REVIEW = /^<!-- patchwarden:review head=([0-9a-f]*) fps=([0-9a-f,-]*)(?: more=([0-9]{1,2}:[A-Za-z0-9_-]+))? -->$/;

/** The body's last marker starting with `prefix`, if nothing but space follows it. */
function trailing(body: string, prefix: string, marker: RegExp): RegExpExecArray | null {
  const end = body.trimEnd();
  const at = end.lastIndexOf(prefix);
  return at < 0 ? null : marker.exec(end.slice(at));
}

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- patchwarden:fp=${fingerprint} -->`;
}

/**
 * Put in every review body: the head it reviewed, every fingerprint the
 * review listed, and (`more`) the ones it only counted, as a filter.
 */
export function reviewMarker(headSha: string, fingerprints: readonly string[], more: FingerprintFilter | null = null): string {
  return `<!-- patchwarden:review head=${headSha} fps=${fingerprints.join(",")}${more ? ` more=${more.encode()}` : ""} -->`;
}

/** What one review of ours reported, and when GitHub says it was submitted. */
export interface PostedReview {
  at: string | null;
  fingerprints: Set<string>;
  more: FingerprintFilter[];
}

export interface PostedState {
  /** Fingerprints the bot has already reported on this pull request. */
  fingerprints: Set<string>;
  /** Head shas the bot has already reviewed. */
  heads: Set<string>;
  /** Findings reported only as a count, too many to list. */
  more?: FingerprintFilter[];
  /** Each review, for what had been reported by a given time (overrides). */
  reviews?: PostedReview[];
}

export type MarkedBody = string | { body: string; at: string | null };

/** Reads the markers out of the bot's own review bodies and review comment bodies. */
export function readMarkers(bodies: readonly MarkedBody[]): PostedState {
  const state: PostedState = { fingerprints: new Set(), heads: new Set(), more: [], reviews: [] };
  for (const item of bodies) {
    const { body, at } = typeof item === "string" ? { body: item, at: null } : item;
    const review: PostedReview = { at, fingerprints: new Set(), more: [] };
    const fp = trailing(body, "<!-- patchwarden:fp=", FP);
    if (fp) review.fingerprints.add(fp[1]!);
    const m = trailing(body, "<!-- patchwarden:review ", REVIEW);
    if (m) {
      if (m[1]) state.heads.add(m[1]);
      for (const f of m[2]!.split(",")) if (f) review.fingerprints.add(f);
      const more = m[3] ? FingerprintFilter.decode(m[3]) : null;
      if (more) review.more.push(more);
    }
    for (const fp of review.fingerprints) state.fingerprints.add(fp);
    state.more!.push(...review.more);
    state.reviews!.push(review);
  }
  return state;
}

/** Whether a finding was already reported, listed or counted. */
export function wasPosted(posted: PostedState, fingerprint: string): boolean {
  return posted.fingerprints.has(fingerprint) || (posted.more ?? []).some((f) => f.has(fingerprint));
}

/**
 * Whether a finding had been reported by `at` (an ISO time from GitHub):
 * what stood when a maintainer's label was added. Without a time, nothing.
 */
export function postedBy(posted: PostedState, at: string | null): (fingerprint: string) => boolean {
  if (at === null) return () => false;
  const limit = Date.parse(at);
  const before = (posted.reviews ?? []).filter((r) => r.at !== null && Date.parse(r.at) <= limit);
  return (fp) => before.some((r) => r.fingerprints.has(fp) || r.more.some((f) => f.has(fp)));
}
