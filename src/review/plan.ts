import type { AppSettings } from "../config/types.js";
import { sortFindings } from "../findings/order.js";
import type { RuleMeta, Severity } from "../findings/types.js";
import type { Series } from "../patch/types.js";
import { addedLinesAtHead, lineAtHead } from "./head-lines.js";
import { fingerprintMarker, reviewMarker, type PostedState } from "./markers.js";
import type { AppliedOverride, OverriddenFinding } from "./overrides.js";

// Everything the app posts for one head, decided without I/O: the check run
// (always) and the review (only when there is something new to say).

export type Conclusion = "success" | "neutral" | "failure";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

export interface ReviewPlan {
  check: { conclusion: Conclusion; title: string; summary: string; text: string; annotations: Annotation[] };
  review: { event: "COMMENT" | "REQUEST_CHANGES"; body: string; comments: ReviewComment[] } | null;
  /** Fingerprints reported before and gone now. */
  resolved: string[];
}

export interface PlanInput {
  series: Series;
  findings: OverriddenFinding[];
  applied: AppliedOverride[];
  posted: PostedState;
  headSha: string;
  settings: AppSettings;
  rules: RuleMeta[];
  /** What could not be read (commits or files beyond GitHub's limits, a diff too large). */
  unread: string[];
  /** Override labels added by someone who may not override. */
  ignoredLabels: { label: string; by: string }[];
}

/** GitHub's limit on a check run's summary and text, and on a review body. */
const MAX_BODY = 65_000;

const LEVEL: Record<Severity, Annotation["annotation_level"]> = { error: "failure", warning: "warning", info: "notice" };

export function planReview(input: PlanInput): ReviewPlan {
  const findings = sortFindings(input.findings) as OverriddenFinding[];
  const current = new Set(findings.map((f) => f.fingerprint));
  const resolved = [...input.posted.fingerprints].filter((fp) => !current.has(fp));
  return { check: planCheck(input, findings, resolved), review: planReviewPost(input, findings), resolved };
}

function counts(findings: OverriddenFinding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function conclusionOf(input: PlanInput, findings: OverriddenFinding[]): { conclusion: Conclusion; title: string } {
  const c = counts(findings);
  const overrodeSomething = input.applied.some((a) => a.count > 0);
  const who = input.applied
    .filter((a) => a.count > 0)
    .map((a) => `@${a.by} (${a.label})`)
    .join(", ");
  if (c.error > 0) return { conclusion: "failure", title: `${plural(c.error, "error")}, ${plural(c.warning, "warning")}` };
  if (input.unread.length > 0) return { conclusion: "neutral", title: `Part of the series could not be read; ${plural(c.warning, "warning")}` };
  if (overrodeSomething) return { conclusion: "neutral", title: `Passed with overrides by ${who}` };
  if (c.warning > 0) return { conclusion: "neutral", title: plural(c.warning, "warning") };
  return { conclusion: "success", title: findings.length === 0 ? "No findings" : `No errors or warnings (${plural(c.info, "note")})` };
}

function location(f: OverriddenFinding, series: Series, rules: RuleMeta[]): string {
  if (f.file === null && rules.some((r) => r.id === f.rule && r.scope === "series")) return "the series";
  if (f.file === null) return `commit ${f.commit?.slice(0, 12) ?? `#${f.commitIndex + 1}`}`;
  if (f.line === null) return f.file;
  const head = lineAtHead(series, f.commitIndex, f.file, f.line);
  return head ? `${head.path}:${head.line}` : `${f.file}:${f.line} (in ${f.commit?.slice(0, 12) ?? `commit #${f.commitIndex + 1}`})`;
}

function ruleLink(rule: string, input: PlanInput): string {
  const meta = input.rules.find((r) => r.id === rule);
  return meta ? `[${rule}](${input.settings.docBaseUrl.replace(/\/+$/, "")}/${meta.docPath})` : rule;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function truncate(text: string, max = MAX_BODY): string {
  return text.length <= max ? text : `${text.slice(0, max - 80)}\n\n… cut here: GitHub limits this field to ${max} characters.`;
}

function planCheck(input: PlanInput, findings: OverriddenFinding[], resolved: string[]): ReviewPlan["check"] {
  const { conclusion, title } = conclusionOf(input, findings);
  const c = counts(findings);
  const summary: string[] = [`**${title}** — ${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info in ${plural(input.series.commits.length, "commit")}.`];
  for (const a of input.applied.filter((x) => x.count > 0)) {
    summary.push(`- Overridden by @${a.by} with \`${a.label}\`${a.at ? ` on ${a.at}` : ""}: ${plural(a.count, "finding")} (${a.rules.join(", ")}) now info.`);
  }
  for (const u of input.unread) summary.push(`- Not checked: ${u}`);
  for (const l of input.ignoredLabels) summary.push(`- Ignored \`${l.label}\`: added by @${l.by}, who may not override findings.`);
  if (resolved.length > 0) summary.push(`- Resolved since the last review: ${plural(resolved.length, "finding")} no longer found.`);

  const text: string[] = [];
  if (findings.length > 0) {
    text.push("| Severity | Rule | Where | Finding |", "|---|---|---|---|");
    for (const f of findings) {
      const sev = f.originalSeverity ? `info (was ${f.originalSeverity})` : f.severity;
      text.push(`| ${sev} | ${ruleLink(f.rule, input)} | \`${cell(location(f, input.series, input.rules))}\` | ${cell(f.message)} |`);
    }
  }
  if (input.applied.length > 0) {
    text.push("", "**Overrides**", "", "| Rules | Who | Label | When | Findings |", "|---|---|---|---|---|");
    for (const a of input.applied) text.push(`| ${a.rules.join(", ")} | @${a.by} | \`${a.label}\` | ${a.at ?? "?"} | ${a.count} |`);
  }
  return {
    conclusion,
    title,
    summary: truncate(summary.join("\n")),
    text: truncate(text.join("\n")),
    annotations: annotations(findings, input.series),
  };
}

function annotations(findings: OverriddenFinding[], series: Series): Annotation[] {
  const out: Annotation[] = [];
  for (const f of findings) {
    if (f.file === null || f.line === null) continue;
    const head = lineAtHead(series, f.commitIndex, f.file, f.line);
    if (!head) continue;
    out.push({ path: head.path, start_line: head.line, end_line: head.line, annotation_level: LEVEL[f.severity], title: f.rule, message: f.message });
  }
  return out;
}

function inlineBody(f: OverriddenFinding, input: PlanInput): string {
  return `**${f.severity}** · ${ruleLink(f.rule, input)}\n\n${f.message}\n\n${fingerprintMarker(f.fingerprint)}`;
}

function planReviewPost(input: PlanInput, findings: OverriddenFinding[]): ReviewPlan["review"] {
  const fresh = findings.filter((f) => f.severity !== "info" && !input.posted.fingerprints.has(f.fingerprint));
  if (fresh.length === 0) return null;
  const onDiff = addedLinesAtHead(input.series);
  const comments: ReviewComment[] = [];
  const inBody: OverriddenFinding[] = [];
  for (const f of fresh) {
    const head = f.file !== null && f.line !== null ? lineAtHead(input.series, f.commitIndex, f.file, f.line) : null;
    if (head && onDiff.get(head.path)?.has(head.line) && comments.length < input.settings.maxInlineComments) {
      comments.push({ path: head.path, line: head.line, side: "RIGHT", body: inlineBody(f, input) });
    } else {
      inBody.push(f);
    }
  }
  const c = counts(fresh);
  const body: string[] = [`**patchwarden**: ${plural(fresh.length, "new finding")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}); the check run lists all of them.`];
  const seriesWide = new Set(input.rules.filter((r) => r.scope === "series").map((r) => r.id));
  const aboutSeries = inBody.filter((x) => x.file === null && seriesWide.has(x.rule));
  if (aboutSeries.length > 0) body.push("", "### The series");
  for (const f of aboutSeries) body.push(`- **${f.severity}** ${ruleLink(f.rule, input)}: ${f.message}`);
  const perCommit = new Map<number, OverriddenFinding[]>();
  for (const f of inBody.filter((x) => x.file === null && !seriesWide.has(x.rule))) perCommit.set(f.commitIndex, [...(perCommit.get(f.commitIndex) ?? []), f]);
  if (perCommit.size > 0) body.push("", "### Commit messages");
  for (const [index, list] of perCommit) {
    const commit = input.series.commits[index]!;
    body.push("", `> **${commit.sha?.slice(0, 12) ?? `commit ${index + 1}`}** ${commit.subject}`);
    for (const f of list) body.push(`- **${f.severity}** ${ruleLink(f.rule, input)}: ${f.message}`);
  }
  const elsewhere = inBody.filter((x) => x.file !== null);
  if (elsewhere.length > 0) {
    body.push("", comments.length >= input.settings.maxInlineComments ? "### More findings (beyond the inline comment limit, or not on a line of the diff)" : "### Not on a line of the diff");
    for (const f of elsewhere) body.push(`- \`${location(f, input.series, input.rules)}\` **${f.severity}** ${ruleLink(f.rule, input)}: ${f.message}`);
  }
  const marker = reviewMarker(input.headSha, fresh.map((f) => f.fingerprint));
  return { event: c.error > 0 ? input.settings.reviewEvent : "COMMENT", body: `${truncate(body.join("\n"), MAX_BODY - marker.length - 2)}\n\n${marker}`, comments };
}
