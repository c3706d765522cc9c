import type { Finding } from "../findings/types.js";
import type { Commit, Series } from "../patch/types.js";

// b4 review's check-command protocol (docs/maintainer/review.rst in b4,
// "Writing an external check script"): one RFC 2822 message on standard
// input, a patch or a cover letter; on standard output a JSON array of
// {tool, status: pass|warn|fail, summary, url, details}, empty when there is
// nothing to report. b4 caches the answer per message-id, so the answer
// depends on the input alone: no dates, no timing, no paths of this machine.

export interface B4Result {
  tool: "patchwarden";
  status: "pass" | "warn" | "fail";
  summary: string;
  url?: string;
  details?: string;
}

export interface B4Answer {
  /** The findings on the message b4 asked about: its commit's, or the series' (cover letter). */
  findings: Finding[];
  /** The commit the message is, or null for a cover letter. */
  commit: Commit | null;
  /** Said in `details`: the series was not seen, the tree was not read, ... */
  notes: string[];
  docUrl: (rule: string) => string;
  codeLine: (f: Finding) => string | undefined;
}

const RANK = { error: 2, warning: 1, info: 0 } as const;

/** The protocol's answer: one result, or none when there is nothing to say. */
export function b4Results(answer: B4Answer): B4Result[] {
  const { findings } = answer;
  if (findings.length === 0) return [];
  const worst = findings.reduce((w, f) => (RANK[f.severity] > RANK[w] ? f.severity : w), "info" as Finding["severity"]);
  const status = worst === "error" ? "fail" : worst === "warning" ? "warn" : "pass";
  const count = (s: Finding["severity"], word: string) => {
    const n = findings.filter((f) => f.severity === s).length;
    return n === 0 ? null : `${n} ${word}${n === 1 ? "" : "s"}`;
  };
  const ids = [...new Set(findings.map((f) => f.check ?? f.rule))];
  const summary = `${[count("error", "error"), count("warning", "warning"), count("info", "note")].filter(Boolean).join(", ")}: ${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", ..." : ""}`;
  const first = [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity])[0]!;
  const lines: string[] = [];
  for (const f of findings) {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ""}` : "commit message";
    lines.push(`${where}: ${f.severity}: ${f.message} [${f.check ?? f.rule}]`);
    const code = answer.codeLine(f);
    if (code !== undefined) lines.push(`    + ${code.trim()}`);
    lines.push(`    ${answer.docUrl(f.rule)}`);
    lines.push("");
  }
  for (const n of answer.notes) lines.push(`note: ${n}`);
  return [{ tool: "patchwarden", status, summary, url: answer.docUrl(first.rule), details: lines.join("\n").trimEnd() }];
}

/**
 * Which commit of a series (read from b4's review branch) the message on
 * standard input is: the same subject, tags aside. Null when none is.
 */
export function commitForMessage(series: Series, message: Commit): number | null {
  const want = message.subject.trim();
  const index = series.commits.findIndex((c) => !c.isCoverLetter && c.subject.trim() === want);
  return index === -1 ? null : index;
}

/** b4's tracking data, as much as a check needs (B4_TRACKING_FILE). */
export interface B4Tracking {
  changeId: string | null;
  baseCommit: string | null;
  firstPatchCommit: string | null;
}

export function readTracking(text: string): B4Tracking | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const series = (data as { series?: Record<string, unknown> } | null)?.series;
  if (!series || typeof series !== "object") return null;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const sha = (v: unknown) => {
    const s = str(v);
    return s && /^[0-9a-f]{7,64}$/.test(s) ? s : null;
  };
  const changeId = str(series["change-id"]);
  return { changeId: changeId && /^[\w.@+-]+$/.test(changeId) ? changeId : null, baseCommit: sha(series["base-commit"]), firstPatchCommit: sha(series["first-patch-commit"]) };
}
