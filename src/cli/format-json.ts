// Machine output for scripts: a fixed, flat shape that does not leak internal
// fields (commitIndex, commitSubject) so the Finding type can evolve freely.

import type { Finding } from "../findings/types.js";
import { sortFindings } from "../findings/order.js";

export interface JsonFinding {
  rule: string;
  severity: Finding["severity"];
  file: string | null;
  line: number | null;
  commit: string | null;
  message: string;
  fingerprint: string;
}

// Built field by field so the key order is part of the contract, not an
// accident of how the Finding happened to be constructed.
export function toJson(f: Finding): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    commit: f.commit,
    message: f.message,
    fingerprint: f.fingerprint,
  };
}

export function formatJson(findings: Finding[]): string {
  return JSON.stringify({ findings: sortFindings(findings).map(toJson) }, null, 2) + "\n";
}
