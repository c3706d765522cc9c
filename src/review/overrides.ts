import type { AppSettings } from "../config/types.js";
import type { Finding, Severity } from "../findings/types.js";
import { postedBy, type PostedState } from "./markers.js";

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
  /** Findings of its rules that appeared after it was added: it does not cover them. */
  uncovered: number;
}

export interface OverriddenFinding extends Finding {
  /** The severity before a maintainer's label turned it into info. */
  originalSeverity?: Severity;
  overriddenBy?: AppliedOverride;
  /** A label of its rule stood, but the finding came later than the label. */
  notCoveredBy?: AppliedOverride;
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
 * asked GitHub). A label covers only what stood when it was added: the
 * findings this app had reported by then (`posted`, from its own markers).
 * A finding pushed later needs a maintainer again.
 */
export function applyOverrides(findings: Finding[], trusted: { label: PullLabel; rules: string[] }[], posted: PostedState): { findings: OverriddenFinding[]; applied: AppliedOverride[] } {
  const applied = trusted.map(({ label, rules }) => ({
    override: { label: label.name, rules, by: label.addedBy ?? "unknown", at: label.addedAt, count: 0, uncovered: 0 } as AppliedOverride,
    stood: postedBy(posted, label.addedAt),
  }));
  const out = findings.map((f): OverriddenFinding => {
    if (f.severity === "info") return f;
    const mine = applied.filter((a) => a.override.rules.includes("*") || a.override.rules.includes(f.rule));
    if (mine.length === 0) return f;
    const o = mine.find((a) => a.stood(f.fingerprint))?.override;
    if (!o) {
      mine[0]!.override.uncovered++;
      return { ...f, notCoveredBy: mine[0]!.override };
    }
    o.count++;
    return { ...f, severity: "info", originalSeverity: f.severity, overriddenBy: o };
  });
  return { findings: out, applied: applied.map((a) => a.override) };
}
