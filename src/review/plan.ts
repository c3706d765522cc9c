import type { AppSettings } from "../config/types.js";
import { sortFindings } from "../findings/order.js";
import type { RuleMeta, Severity } from "../findings/types.js";
import type { Series } from "../patch/types.js";
import { joinLines, trimEndChar } from "../util/text.js";
import { addedLinesAtHead, lineAtHead } from "./head-lines.js";
import { FingerprintFilter } from "./fingerprint-filter.js";
import { inert } from "./inert.js";
import { fitLine, fitText, MAX_ANNOTATION_MESSAGE, MAX_ANNOTATIONS, MAX_BODY, MAX_CHECK_TEXT, MAX_TITLE } from "./limits.js";
import { fingerprintMarker, reviewMarker, wasPosted, type PostedState } from "./markers.js";
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
  /** The base the pull request is against: the CLI command for the full list names the range. */
  baseSha?: string;
  /** What the base tree said (src/engine/job.ts TreeReport): the census of the touched areas, and why there was no tree. */
  tree?: { base: string | null; from: string | null; census: string[]; sprawl?: string; notes: string[] };
}

// Caps per review: one pull request with thousands of findings must not
// spend an installation's rate limit, nor make a review nobody can read.
// What is not shown is counted per rule, with the command that lists it all.
/** Inline comments per review, whatever the config's maxInlineComments says. */
export const MAX_COMMENTS = 100;
/** Findings listed one by one in a review body; the rest are counted. */
export const MAX_LISTED = 100;
/** Findings named in the check's list of what an override does not cover. */
const MAX_UNCOVERED_LISTED = 20;
/** A finding's message in a list or a table cell. */
const MAX_ITEM = 1_000;
/**
 * A review body's room, split so the parts always fit together: the listed
 * findings, then the hidden marker (up to 200 exact fingerprints, ~4.4 KB,
 * and the filter, base64 of 20 KB), then headings and per-rule counts.
 */
const LIST_BUDGET = 24_000;
const MAX_MARKER_FILTER_BYTES = 20_000;

const LEVEL: Record<Severity, Annotation["annotation_level"]> = { error: "failure", warning: "warning", info: "notice" };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function planReview(input: PlanInput): ReviewPlan {
  const findings = sortFindings(input.findings) as OverriddenFinding[];
  const current = new Set(findings.map((f) => f.fingerprint));
  const resolved = [...input.posted.fingerprints].filter((fp) => !current.has(fp));
  return { check: planCheck(input, findings, resolved), review: planReviewPost(input, findings), resolved };
}

/** A failing check that says why nothing was reviewed (a bad config, an unreadable patch), cut to fit. */
export function failingCheck(title: string, summary: string): ReviewPlan["check"] {
  return fitCheck({ conclusion: "failure", title, summary: inert(summary), text: "", annotations: [] });
}

/** The check cut to what GitHub accepts: a last guard for every check posted. */
export function fitCheck(check: ReviewPlan["check"]): ReviewPlan["check"] {
  return {
    ...check,
    title: fitLine(check.title, MAX_TITLE),
    summary: fitText(check.summary, MAX_CHECK_TEXT),
    text: fitText(check.text, MAX_CHECK_TEXT),
    annotations: check.annotations.slice(0, MAX_ANNOTATIONS).map((a) => ({ ...a, title: fitLine(a.title, MAX_TITLE), message: fitText(a.message, MAX_ANNOTATION_MESSAGE) })),
  };
}

/** Errors first, then warnings, then notes; the shared order within each. */
function bySeverity(findings: OverriddenFinding[]): OverriddenFinding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

function counts(findings: OverriddenFinding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function conclusionOf(input: PlanInput, findings: OverriddenFinding[]): { conclusion: Conclusion; title: string } {
  const c = counts(findings);
  const overrodeSomething = input.applied.some((a) => a.count > 0);
  const uncovered = input.applied.reduce((n, a) => n + a.uncovered, 0);
  const who = input.applied
    .filter((a) => a.count > 0)
    .map((a) => `@${a.by} (${a.label})`)
    .join(", ");
  const notCovered = uncovered > 0 ? ` (${plural(uncovered, "finding")} not covered by the override)` : "";
  if (c.error > 0) return { conclusion: "failure", title: `${plural(c.error, "error")}, ${plural(c.warning, "warning")}${notCovered}` };
  if (input.unread.length > 0) return { conclusion: "neutral", title: `Part of the series could not be read; ${plural(c.warning, "warning")}` };
  if (uncovered > 0) return { conclusion: "neutral", title: `${plural(c.warning, "warning")}${notCovered}` };
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
  return meta ? `[${rule}](${trimEndChar(input.settings.docBaseUrl, "/")}/${meta.docPath})` : rule;
}

function cell(text: string): string {
  return fitLine(inert(joinLines(text.replace(/\|/g, "\\|"))), MAX_ITEM);
}

/** Where a maintainer sees every finding when a review or check shows only some. */
function fullListHint(input: PlanInput): string {
  const range = `${input.baseSha ? input.baseSha.slice(0, 12) : "BASE"}..${input.headSha.slice(0, 12)}`;
  return `All of them: \`patchwarden check --git ${range}\` in a clone with this pull request fetched.`;
}

/** "hv-special-case: 5,870 (5,870 errors)" lines for findings not shown one by one. */
function perRule(findings: OverriddenFinding[], input: PlanInput): string[] {
  const by = new Map<string, OverriddenFinding[]>();
  for (const f of findings) by.set(f.rule, [...(by.get(f.rule) ?? []), f]);
  return [...by.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([rule, list]) => {
      const c = counts(list);
      const parts = (["error", "warning", "info"] as const).filter((s) => c[s] > 0).map((s) => plural(c[s], s === "info" ? "note" : s));
      return `- ${ruleLink(rule, input)}: ${list.length.toLocaleString("en-US")} (${parts.join(", ")})`;
    });
}

function planCheck(input: PlanInput, findings: OverriddenFinding[], resolved: string[]): ReviewPlan["check"] {
  const { conclusion, title } = conclusionOf(input, findings);
  const c = counts(findings);
  const summary: string[] = [`**${title}** — ${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info in ${plural(input.series.commits.length, "commit")}.`];
  for (const a of input.applied.filter((x) => x.count > 0)) {
    summary.push(`- Overridden by @${a.by} with \`${a.label}\`${a.at ? ` on ${a.at}` : ""}: ${plural(a.count, "finding")} (${a.rules.join(", ")}) now info.`);
  }
  for (const a of input.applied.filter((x) => x.uncovered > 0)) {
    const later = findings.filter((f) => f.notCoveredBy === a);
    summary.push(
      `- Not covered by \`${a.label}\` (@${a.by}${a.at ? `, ${a.at}` : ""}): ${plural(a.uncovered, "finding")} that ${a.uncovered === 1 ? "was" : "were"} not reported when the label was added. A maintainer has to look again (remove and re-add the label to cover them):`,
    );
    for (const f of later.slice(0, MAX_UNCOVERED_LISTED)) summary.push(`  - \`${cell(location(f, input.series, input.rules))}\` **${f.severity}** ${f.rule}: ${cell(f.message)}`);
    if (later.length > MAX_UNCOVERED_LISTED) summary.push(`  - … and ${plural(later.length - MAX_UNCOVERED_LISTED, "more finding")} (in the table below).`);
  }
  for (const u of input.unread) summary.push(`- Not checked: ${cell(u)}`);
  summary.push(...treeLines(input));
  for (const l of input.ignoredLabels) summary.push(`- Ignored \`${l.label}\`: added by @${l.by}, who may not override findings.`);
  if (resolved.length > 0) summary.push(`- Resolved since the last review: ${plural(resolved.length, "finding")} no longer found.`);
  const annotations = planAnnotations(findings, input.series);
  if (annotations.total > annotations.list.length) {
    summary.push(`- Annotations: the first ${plural(annotations.list.length, "finding")} of ${annotations.total.toLocaleString("en-US")} on lines of the diff (errors first). ${fullListHint(input)}`);
  }

  const overrides: string[] = [];
  if (input.applied.length > 0) {
    overrides.push("", "**Overrides**", "", "| Rules | Who | Label | When | Overridden | Not covered |", "|---|---|---|---|---|---|");
    for (const a of input.applied) overrides.push(`| ${cell(a.rules.join(", "))} | @${a.by} | \`${cell(a.label)}\` | ${a.at ?? "?"} | ${a.count} | ${a.uncovered} |`);
  }
  const text: string[] = [];
  let size = overrides.join("\n").length + 2_000;
  if (findings.length > 0) {
    text.push("| Severity | Rule | Where | Finding |", "|---|---|---|---|");
    const listed: OverriddenFinding[] = [];
    for (const f of findings) {
      const sev = f.originalSeverity ? `info (was ${f.originalSeverity})` : f.notCoveredBy ? `${f.severity} (not covered by \`${cell(f.notCoveredBy.label)}\`)` : f.severity;
      const row = `| ${sev} | ${ruleLink(f.rule, input)} | \`${cell(location(f, input.series, input.rules))}\` | ${cell(f.message)} |`;
      if (size + row.length + 1 > MAX_CHECK_TEXT) break;
      size += row.length + 1;
      text.push(row);
      listed.push(f);
    }
    if (listed.length < findings.length) {
      const rest = findings.slice(listed.length);
      text.push("", `**${plural(rest.length, "more finding")} not listed** (GitHub limits this text to ${MAX_CHECK_TEXT.toLocaleString("en-US")} characters):`, "", ...perRule(rest, input), "", fullListHint(input));
    }
  }
  text.push(...overrides);
  return fitCheck({ conclusion, title, summary: summary.join("\n"), text: text.join("\n"), annotations: annotations.list });
}

/**
 * The count that made the 2009 argument, per area and hypervisor the series
 * touches ("arch/x86: 41 Xen conditionals at the base, 43 after this
 * series (+2)"), the subsystem's sprawl over the last quarters beside the
 * series' own figure, and whatever the tree lookups could not do.
 */
function treeLines(input: PlanInput): string[] {
  const tree = input.tree;
  if (!tree) return [];
  const out: string[] = [];
  if (tree.base) out.push(`- Base tree: \`${tree.base.slice(0, 12)}\`${tree.from ? ` (${cell(tree.from)})` : ""}, read for the users of what the series adds and for the census.`);
  if (tree.census.length > 0) {
    out.push("- Hypervisor conditionals in the shared code the series touches:");
    for (const c of tree.census) out.push(`  - ${cell(c)}`);
  }
  if (tree.sprawl) out.push(`- ${cell(tree.sprawl)}`);
  for (const n of tree.notes) out.push(`- Base tree: ${cell(n)}`);
  return out;
}

function planAnnotations(findings: OverriddenFinding[], series: Series): { list: Annotation[]; total: number } {
  const all: Annotation[] = [];
  for (const f of bySeverity(findings)) {
    if (f.file === null || f.line === null) continue;
    const head = lineAtHead(series, f.commitIndex, f.file, f.line);
    if (!head) continue;
    all.push({ path: head.path, start_line: head.line, end_line: head.line, annotation_level: LEVEL[f.severity], title: f.rule, message: f.message });
  }
  return { list: all.slice(0, MAX_ANNOTATIONS), total: all.length };
}

function inlineBody(f: OverriddenFinding, input: PlanInput): string {
  const marker = fingerprintMarker(f.fingerprint);
  return `${fitText(`**${f.severity}** · ${ruleLink(f.rule, input)}\n\n${inert(f.message)}`, MAX_BODY - marker.length - 2)}\n\n${marker}`;
}

function item(f: OverriddenFinding, input: PlanInput): string {
  return `**${f.severity}** ${ruleLink(f.rule, input)}: ${fitLine(inert(f.message), MAX_ITEM)}`;
}

function planReviewPost(input: PlanInput, findings: OverriddenFinding[]): ReviewPlan["review"] {
  const fresh = bySeverity(findings.filter((f) => f.severity !== "info" && !wasPosted(input.posted, f.fingerprint)));
  if (fresh.length === 0) return null;
  const maxComments = Math.min(input.settings.maxInlineComments, MAX_COMMENTS);
  const onDiff = addedLinesAtHead(input.series);
  const comments: ReviewComment[] = [];
  const commented: OverriddenFinding[] = [];
  const inBody: OverriddenFinding[] = [];
  for (const f of fresh) {
    const head = f.file !== null && f.line !== null ? lineAtHead(input.series, f.commitIndex, f.file, f.line) : null;
    if (head && onDiff.get(head.path)?.has(head.line) && comments.length < maxComments) {
      comments.push({ path: head.path, line: head.line, side: "RIGHT", body: inlineBody(f, input) });
      commented.push(f);
    } else {
      inBody.push(f);
    }
  }
  // Series and commit-message findings first: few, never inline, and the
  // easiest to lose behind thousands of line findings.
  inBody.sort((a, b) => Number(a.file !== null) - Number(b.file !== null));
  let room = LIST_BUDGET;
  let fit = 0;
  while (fit < inBody.length && fit < MAX_LISTED) {
    room -= item(inBody[fit]!, input).length + 100;
    if (room < 0) break;
    fit++;
  }
  const listed = inBody.slice(0, fit);
  const counted = inBody.slice(fit);
  const c = counts(fresh);
  const body: string[] = [
    `**patchwarden**: ${plural(fresh.length, "new finding")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}); ${counted.length > 0 ? `${(commented.length + listed.length).toLocaleString("en-US")} of them are shown, the rest counted by rule below.` : "the check run lists all of them."}`,
  ];
  const seriesWide = new Set(input.rules.filter((r) => r.scope === "series").map((r) => r.id));
  const aboutSeries = listed.filter((x) => x.file === null && seriesWide.has(x.rule));
  if (aboutSeries.length > 0) body.push("", "### The series");
  for (const f of aboutSeries) body.push(`- ${item(f, input)}`);
  const perCommit = new Map<number, OverriddenFinding[]>();
  for (const f of listed.filter((x) => x.file === null && !seriesWide.has(x.rule))) perCommit.set(f.commitIndex, [...(perCommit.get(f.commitIndex) ?? []), f]);
  if (perCommit.size > 0) body.push("", "### Commit messages");
  for (const [index, list] of [...perCommit].sort((a, b) => a[0] - b[0])) {
    const commit = input.series.commits[index]!;
    body.push("", `> **${commit.sha?.slice(0, 12) ?? `commit ${index + 1}`}** ${fitLine(inert(commit.subject), MAX_ITEM)}`);
    for (const f of list) body.push(`- ${item(f, input)}`);
  }
  const elsewhere = listed.filter((x) => x.file !== null);
  if (elsewhere.length > 0) {
    body.push("", comments.length >= maxComments ? "### More findings (beyond the inline comment limit, or not on a line of the diff)" : "### Not on a line of the diff");
    for (const f of elsewhere) body.push(`- \`${cell(location(f, input.series, input.rules))}\` ${item(f, input)}`);
  }
  if (input.tree && input.tree.census.length > 0) {
    body.push("", `### Hypervisor conditionals${input.tree.base ? ` at the base \`${input.tree.base.slice(0, 12)}\`` : ""}`);
    for (const c of input.tree.census) body.push(`- ${cell(c)}`);
  }
  if (counted.length > 0) {
    body.push("", `### ${plural(counted.length, "more finding")}, counted here`, "", ...perRule(counted, input), "", fullListHint(input));
  }
  const more = counted.length > 0 ? FingerprintFilter.of(counted.map((f) => f.fingerprint), MAX_MARKER_FILTER_BYTES) : null;
  const marker = reviewMarker(input.headSha, [...commented, ...listed].map((f) => f.fingerprint), more);
  return { event: c.error > 0 ? input.settings.reviewEvent : "COMMENT", body: `${fitText(body.join("\n"), MAX_BODY - marker.length - 2)}\n\n${marker}`, comments };
}
