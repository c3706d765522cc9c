import type { Finding } from "../findings/types.js";

/**
 * The message kind a finding is counted under. A Finding carries no stable
 * message id (the anchor that would name one is hashed into the fingerprint
 * together with the subject), so today the kind is the rule; when findings
 * gain an id, this is the one place that reads it.
 */
export function kindOf(finding: Finding): string {
  return finding.rule;
}
