// GitHub is the only store: what the bot posted is found again from hidden
// HTML comments in its own review and comment bodies.

const FP = /<!-- patchwarden:fp=([0-9a-f-]+) -->/g;
const REVIEW = /<!-- patchwarden:review head=([0-9a-f]*) fps=([0-9a-f,-]*) -->/g;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- patchwarden:fp=${fingerprint} -->`;
}

/** Put in every review body: the head it reviewed and every fingerprint the review reported. */
export function reviewMarker(headSha: string, fingerprints: string[]): string {
  return `<!-- patchwarden:review head=${headSha} fps=${fingerprints.join(",")} -->`;
}

export interface PostedState {
  /** Fingerprints the bot has already reported on this pull request. */
  fingerprints: Set<string>;
  /** Head shas the bot has already reviewed. */
  heads: Set<string>;
}

/** Reads the markers out of the bot's own review bodies and review comment bodies. */
export function readMarkers(bodies: string[]): PostedState {
  const state: PostedState = { fingerprints: new Set(), heads: new Set() };
  for (const body of bodies) {
    for (const m of body.matchAll(FP)) state.fingerprints.add(m[1]!);
    for (const m of body.matchAll(REVIEW)) {
      if (m[1]) state.heads.add(m[1]);
      for (const fp of m[2]!.split(",")) if (fp) state.fingerprints.add(fp);
    }
  }
  return state;
}
