import type { AppSettings } from "../config/types.js";
import type { Finding, Severity } from "../findings/types.js";

/** A label on the pull request, with who added it and when (from the events). */
export interface PullLabel {
  name: string;
  addedBy: string | null;
  addedAt: string | null;
}

export interface AppliedOverride {
  label: string;
  /** Rule ids the label covers ("*" for all). */
  rules: string[];
  by: string;
  at: string | null;
  /** Findings it turned into info. */
  count: number;
}

export interface OverriddenFinding extends Finding {
  /** The severity before a maintainer's label turned it into info. */
  originalSeverity?: Severity;
  overriddenBy?: AppliedOverride;
}

/** The labels of this app among the pull request's labels, with the rules each covers. */
export function overrideLabelsOn(labels: PullLabel[], settings: AppSettings): { label: PullLabel; rules: string[] }[] {
  return labels.flatMap((label) => {
    const rules = settings.overrideLabels[label.name];
    return rules ? [{ label, rules }] : [];
  });
}

/**
 * Turns the findings a maintainer's label covers into info, remembering what
 * they were, so the check can say who overrode what. `trusted` are the
 * labels whose adder has the right to override (decided by the caller, who
 * asked GitHub).
 */
export function applyOverrides(findings: Finding[], trusted: { label: PullLabel; rules: string[] }[]): { findings: OverriddenFinding[]; applied: AppliedOverride[] } {
  const applied = trusted.map(({ label, rules }) => ({ label: label.name, rules, by: label.addedBy ?? "unknown", at: label.addedAt, count: 0 }));
  const out = findings.map((f): OverriddenFinding => {
    if (f.severity === "info") return f;
    const o = applied.find((a) => a.rules.includes("*") || a.rules.includes(f.rule));
    if (!o) return f;
    o.count++;
    return { ...f, severity: "info", originalSeverity: f.severity, overriddenBy: o };
  });
  return { findings: out, applied };
}
