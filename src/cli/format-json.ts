// Machine output for scripts: a fixed, flat shape that does not leak internal
// fields (commitIndex, commitSubject) so the Finding type can evolve freely.

import { docUrlFor } from "./doc-url.js";
import type { Finding } from "../findings/types.js";
import { sortFindings } from "../findings/order.js";
import { displayPath, type Series } from "../patch/types.js";

export interface JsonFinding {
  rule: string;
  /** The finer `rule/check` id, or null when the rule has none. */
  check: string | null;
  severity: Finding["severity"];
  file: string | null;
  line: number | null;
  commit: string | null;
  message: string;
  fingerprint: string;
  /** The line of the patch the finding points at, when it has one. */
  code: string | null;
  /** The rule's doc page. */
  doc: string;
}

export interface JsonContext {
  codeLine?: (f: Finding) => string | undefined;
  docUrl?: (rule: string) => string;
}

export { docUrlFor };

// Built field by field so the key order is part of the contract, not an
// accident of how the Finding happened to be constructed.
export function toJson(f: Finding, ctx: JsonContext = {}): JsonFinding {
  return {
    rule: f.rule,
    check: f.check ?? null,
    severity: f.severity,
    file: f.file,
    line: f.line,
    commit: f.commit,
    message: f.message,
    fingerprint: f.fingerprint,
    code: (f.line === null ? undefined : ctx.codeLine?.(f)) ?? null,
    doc: (ctx.docUrl ?? docUrlFor)(f.rule),
  };
}

export function formatJson(findings: Finding[], ctx: JsonContext = {}): string {
  return JSON.stringify({ findings: sortFindings(findings).map((f) => toJson(f, ctx)) }, null, 2) + "\n";
}

/** The patch line a finding names (its new-side line in that commit's file), indexed on first use. */
export function codeLinesOf(series: Series): (f: Finding) => string | undefined {
  let index: Map<string, string> | null = null;
  return (f) => {
    if (f.file === null || f.line === null) return undefined;
    if (index === null) {
      index = new Map();
      for (const file of series.files) {
        const name = displayPath(file);
        for (const hunk of file.hunks) {
          for (const line of hunk.lines) {
            if (line.newLine !== undefined && line.kind !== "removed") index.set(`${file.commitIndex}\0${name}\0${line.newLine}`, line.text);
          }
        }
      }
    }
    return index.get(`${f.commitIndex}\0${f.file}\0${f.line}`);
  };
}
