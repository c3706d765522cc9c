// Human output in checkpatch's `FILE:LINE: LEVEL: message` form, so editors and
// terminals that already jump to checkpatch locations work unchanged.

import { sortFindings } from "../findings/order.js";
import { joinLines } from "../util/text.js";
import type { Finding, RuleMeta, Severity } from "../findings/types.js";

export interface TextOptions {
  color: boolean;
  /** Known rules: their scope decides how a finding without a file is located. */
  rules: RuleMeta[];
  /** Number of commits checked: the denominator in headers and the summary. */
  inputs: number;
  /** checkpatch's --terse: one line per finding, nothing else. */
  terse?: boolean;
  /** The added or context line a finding points at, shown under it. */
  codeLine?: (f: Finding) => string | undefined;
  /** Address of a rule's doc page, listed once per rule that fired. */
  docUrl?: (rule: string) => string;
}

/** Long enough for a condition, short enough that a minified line cannot flood the terminal. */
const MAX_CODE = 160;

const SEVERITY_COLOR: Record<Severity, string> = {
  error: "31", // red
  warning: "33", // yellow
  info: "36", // cyan
};

type Paint = (code: string, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
}

function shortSha(sha: string | null): string | null {
  return sha === null ? null : sha.slice(0, 12);
}

/** A stray newline in a message would break the one-line-per-finding contract grep relies on. */
function oneLine(text: string): string {
  return joinLines(text);
}

/** A bare diff has no commit message; say so rather than print `("")`. */
function subjectOf(f: Finding): string {
  const subject = oneLine(f.commitSubject);
  return subject === "" ? "(no commit message)" : `("${subject}")`;
}

function location(f: Finding, seriesWide: Set<string>): string {
  if (f.file === null && seriesWide.has(f.rule)) return "series";
  if (f.file === null) {
    return `commit ${shortSha(f.commit) ?? `#${f.commitIndex + 1}`} ${subjectOf(f)}`;
  }
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

function findingLine(f: Finding, paint: Paint, seriesWide: Set<string>): string {
  const severity = paint(SEVERITY_COLOR[f.severity], f.severity);
  return `${location(f, seriesWide)}: ${severity}: ${oneLine(f.message)} ${paint("2", `[${f.check ?? f.rule}]`)}`;
}

function codeUnder(code: string): string {
  // Tabs and control bytes would misalign or drive the terminal.
  const flat = code.replace(/\t/g, " ").replace(/[\x00-\x1f\x7f]/g, "?").trim();
  return `    + ${flat.length > MAX_CODE ? `${flat.slice(0, MAX_CODE - 1)}…` : flat}`;
}

function header(f: Finding, inputs: number, paint: Paint): string {
  // Never print "4/3" if a caller undercounts inputs.
  const total = Math.max(inputs, f.commitIndex + 1);
  const sha = shortSha(f.commit);
  const parts = [`commit ${f.commitIndex + 1}/${total}`];
  if (sha !== null) parts.push(paint("2", sha));
  parts.push(subjectOf(f));
  return paint("1", parts.join(" "));
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(findings: readonly Finding[], inputs: number, paint: Paint): string {
  const commits = plural(inputs, "commit", "commits");
  if (findings.length === 0) return paint("1", `no findings in ${commits}`);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const counts = [
    plural(count("error"), "error", "errors"),
    plural(count("warning"), "warning", "warnings"),
    `${count("info")} info`,
  ];
  return paint("1", `${counts.join(", ")} in ${commits}`);
}

export function formatText(findings: Finding[], opts: TextOptions): string {
  const paint = painter(opts.color);
  // Rules that judge the whole series print as "series:", not as a commit.
  const seriesWide = new Set(opts.rules.filter((r) => r.scope === "series").map((r) => r.id));
  const sorted = sortFindings(findings);
  if (opts.terse) return sorted.map((f) => `${findingLine(f, paint, seriesWide)}\n`).join("");
  const lines: string[] = [];
  let group: number | null = null;
  for (const f of sorted) {
    if (f.commitIndex !== group) {
      if (group !== null) lines.push("");
      lines.push(header(f, opts.inputs, paint));
      group = f.commitIndex;
    }
    lines.push(findingLine(f, paint, seriesWide));
    const code = f.line === null ? undefined : opts.codeLine?.(f);
    if (code !== undefined) lines.push(paint("2", codeUnder(code)));
  }
  if (lines.length > 0) lines.push("");
  if (opts.docUrl && sorted.length > 0) {
    const fired = [...new Set(sorted.map((f) => f.rule))].sort();
    const width = Math.max(...fired.map((r) => r.length));
    for (const rule of fired) lines.push(`${`${rule}:`.padEnd(width + 1)} ${opts.docUrl(rule)}`);
    lines.push("");
  }
  lines.push(summary(findings, opts.inputs, paint));
  return lines.join("\n") + "\n";
}
