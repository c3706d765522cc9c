import { createHash } from "node:crypto";
import type { Finding } from "./types.js";

/**
 * A fingerprint names a finding by what it is about, not where it sits: the
 * rule, the file, and an anchor the rule chooses (usually the offending
 * line's code with whitespace collapsed, plus the token it matched). Line
 * numbers stay out, so a re-push that shifts the code keeps the fingerprint
 * and the bot does not comment twice.
 */
export function fingerprintOf(rule: string, file: string | null, anchor: string): string {
  const normalized = anchor.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${rule}\0${file ?? ""}\0${normalized}`).digest("hex").slice(0, 20);
}

/**
 * Two findings with the same anchor in one file (the same check pasted
 * twice) get distinct fingerprints by order of appearance.
 */
export function disambiguateFingerprints(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return n === 0 ? f : { ...f, fingerprint: `${f.fingerprint}-${n + 1}` };
  });
}
