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

/** The (rule, kind, severity) triples one commit got, each once. */
type CommitMarks = Set<string>;

const SEP = "\0";

export class StatsTally {
  private commitCount = 0;
  private readonly marked: CommitMarks[] = [];
  private readonly findingCounts = new Map<string, number>();

  /** `rules`: the ids that ran, so a rule that said nothing still gets its row. */
  constructor(private readonly rules: readonly string[]) {}

  /** Adds one checked series: each of its commits (cover letters aside) counts once. */
  add(series: Series, findings: Finding[]): void {
    const base = this.commitCount;
    const counted = series.commits.map((c) => !c.isCoverLetter);
    this.commitCount += counted.filter(Boolean).length;
    const byCommit = new Map<number, CommitMarks>();
    for (const f of findings) {
      const key = [f.rule, kindOf(f), f.severity].join(SEP);
      this.findingCounts.set(key, (this.findingCounts.get(key) ?? 0) + 1);
      // A series-wide finding may sit on a cover letter; it still concerns the series.
      const index = counted[f.commitIndex] ? f.commitIndex : counted.indexOf(true);
      let marks = byCommit.get(index);
      if (!marks) byCommit.set(index, (marks = new Set()));
      marks.add(key);
    }
    // A cover letter alone is no commit, but something said about it was said about one.
    if (base === this.commitCount && byCommit.size > 0) this.commitCount++;
    this.marked.push(...byCommit.values());
  }

  get commits(): number {
    return this.commitCount;
  }

  /** Commits with a finding from any of `rules` (all rules when null) at one of `severities`. */
  commitsWith(rules: readonly string[] | null, severities: readonly Severity[] = SEVERITIES): number {
    let n = 0;
    for (const marks of this.marked) {
      for (const key of marks) {
        const [rule, , severity] = key.split(SEP) as [string, string, Severity];
        if ((rules === null || rules.includes(rule)) && severities.includes(severity)) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** One row per rule that ran or spoke, most commits first. */
  rows(): RuleRow[] {
    const rows = new Map<string, RuleRow>();
    const row = (rule: string) => {
      let r = rows.get(rule);
      if (!r) rows.set(rule, (r = { rule, ...emptyCounts(), kinds: new Map() }));
      return r;
    };
    for (const id of this.rules) row(id);
    for (const marks of this.marked) {
      const seen = new Set<string>();
      for (const key of marks) {
        const [rule, kind, severity] = key.split(SEP) as [string, string, Severity];
        const r = row(rule);
        let k = r.kinds.get(kind);
        if (!k) r.kinds.set(kind, (k = emptyCounts()));
        for (const [counts, id] of [
          [r, rule],
          [k, `${rule}${SEP}${kind}`],
        ] as const) {
          if (!seen.has(id)) {
            seen.add(id);
            counts.commits++;
          }
          const s = (counts.bySeverity[severity] ??= { commits: 0, findings: 0 });
          if (!seen.has(`${id}${SEP}${severity}`)) {
            seen.add(`${id}${SEP}${severity}`);
            s.commits++;
          }
        }
      }
    }
    for (const [key, n] of this.findingCounts) {
      const [rule, kind, severity] = key.split(SEP) as [string, string, Severity];
      const r = row(rule);
      const k = r.kinds.get(kind)!;
      for (const counts of [r, k]) {
        counts.findings += n;
        counts.bySeverity[severity]!.findings += n;
      }
    }
    return [...rows.values()].sort((a, b) => b.commits - a.commits || b.findings - a.findings || a.rule.localeCompare(b.rule));
  }
}

function emptyCounts(): Counts {
  return { commits: 0, findings: 0, bySeverity: {} };
}

/** Commits per 1,000, the unit the figures are compared in whatever the size of the history. */
export function perThousand(commits: number, total: number): number {
  return total === 0 ? 0 : (commits * 1000) / total;
}
