import type { Finding, Severity } from "../findings/types.js";
import type { Series } from "../patch/types.js";
import { kindOf } from "./kind.js";

// Counts per commit, not per finding: a maintainer's question is "how many
// of my commits would the bot have complained about", and one commit with
// three vague words is one bad changelog, not three.

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** What one rule (or one message kind) said over the history. */
export interface Counts {
  /** Commits with at least one such finding, at any severity. */
  commits: number;
  findings: number;
  /** Per severity present: commits with a finding at that level, and those findings. */
  bySeverity: Partial<Record<Severity, { commits: number; findings: number }>>;
}

export interface RuleRow extends Counts {
  rule: string;
  /** Per message kind (see kind.ts); the rule id alone while rules have no finer kind. */
  kinds: Map<string, Counts>;
}

/** What a finding is counted under. */
interface Mark {
  rule: string;
  kind: string;
  severity: Severity;
}

export class StatsTally {
  private commitCount = 0;
  /** The findings' marks of each commit that got any. */
  private readonly marked: Mark[][] = [];

  /** `rules`: the ids that ran, so a rule that said nothing still gets its row. */
  constructor(private readonly rules: readonly string[]) {}

  /** Adds one checked series: each of its commits (cover letters aside) counts once. */
  add(series: Series, findings: Finding[]): void {
    const counted = series.commits.map((c) => !c.isCoverLetter);
    const commits = counted.filter(Boolean).length;
    // A cover letter alone is no commit, but what was said about it was said about one.
    this.commitCount += findings.length > 0 ? Math.max(commits, 1) : commits;
    const byCommit = new Map<number, Mark[]>();
    for (const f of findings) {
      // A series-wide finding may sit on the cover letter; it concerns the series' first commit.
      const index = counted[f.commitIndex] ? f.commitIndex : counted.indexOf(true);
      const marks = byCommit.get(index) ?? [];
      marks.push({ rule: f.rule, kind: kindOf(f), severity: f.severity });
      byCommit.set(index, marks);
    }
    this.marked.push(...byCommit.values());
  }

  get commits(): number {
    return this.commitCount;
  }

  /** Commits with a finding from any of `rules` (all rules when null) at one of `severities`. */
  commitsWith(rules: readonly string[] | null, severities: readonly Severity[] = SEVERITIES): number {
    return this.marked.filter((marks) => marks.some((m) => (rules === null || rules.includes(m.rule)) && severities.includes(m.severity))).length;
  }

  /** One row per rule that ran or spoke, most commits first. */
  rows(): RuleRow[] {
    const rows = new Map<string, RuleRow>(this.rules.map((rule) => [rule, { rule, ...emptyCounts(), kinds: new Map() }]));
    for (const marks of this.marked) {
      // Per commit: which rules and kinds spoke, and at which levels.
      const levels = new Map<Counts, Set<Severity>>();
      for (const m of marks) {
        let row = rows.get(m.rule);
        if (!row) rows.set(m.rule, (row = { rule: m.rule, ...emptyCounts(), kinds: new Map() }));
        let kind = row.kinds.get(m.kind);
        if (!kind) row.kinds.set(m.kind, (kind = emptyCounts()));
        for (const counts of [row, kind]) {
          counts.findings++;
          level(counts, m.severity).findings++;
          levels.set(counts, (levels.get(counts) ?? new Set()).add(m.severity));
        }
      }
      for (const [counts, severities] of levels) {
        counts.commits++;
        for (const s of severities) level(counts, s).commits++;
      }
    }
    return [...rows.values()].sort((a, b) => b.commits - a.commits || b.findings - a.findings || a.rule.localeCompare(b.rule));
  }
}

function emptyCounts(): Counts {
  return { commits: 0, findings: 0, bySeverity: {} };
}

function level(counts: Counts, severity: Severity): { commits: number; findings: number } {
  return (counts.bySeverity[severity] ??= { commits: 0, findings: 0 });
}

/** Commits per 1,000, the unit the figures are compared in whatever the size of the history. */
export function perThousand(commits: number, total: number): number {
  return total === 0 ? 0 : (commits * 1000) / total;
}
