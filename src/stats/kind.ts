import type { Finding } from "../findings/types.js";

/**
 * The message kind a finding is counted under: its finer id
 * (`changelog-why/describes-only`, `commit-reference/subject-prefix`), or
 * the rule for a rule with no finer ids.
 */
export function kindOf(finding: Finding): string {
  return finding.check ?? finding.rule;
}
