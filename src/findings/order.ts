import type { Finding } from "./types.js";

// Plain code-unit comparison rather than localeCompare: output must not depend
// on the machine's locale.
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Null sorts first: commit-message and whole-file findings come before line findings. */
function nullsFirst<T>(a: T | null, b: T | null, by: (x: T, y: T) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return by(a, b);
}

/**
 * The one ordering all formatters share, so text, JSON and SARIF list findings
 * identically and re-runs produce byte-identical output regardless of the
 * order rules happened to run in.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.commitIndex - b.commitIndex ||
    nullsFirst(a.file, b.file, cmp) ||
    nullsFirst(a.line, b.line, (x, y) => x - y) ||
    cmp(a.rule, b.rule) ||
    cmp(a.fingerprint, b.fingerprint) ||
    cmp(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
