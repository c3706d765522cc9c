import { toJson, type JsonFinding } from "../cli/format-json.js";
import type { Finding } from "../findings/types.js";
import { perThousand, SEVERITIES, type Counts, type RuleRow, type StatsTally } from "./tally.js";

export interface SeriesEntry {
  input: string;
  findings: Finding[];
  /** Each finding's code line, taken while its series was at hand (the series is not kept). */
  codes?: (string | undefined)[];
}

/** How the inputs went, for the heading: a reader weighs a figure by what it was measured on. */
export interface InputSummary {
  inputs: number;
  unreadable: number;
}

const NUMBER = new Intl.NumberFormat("en-US");
const num = (n: number) => NUMBER.format(n);
const rate = (x: number) => x.toFixed(1);

export function formatStatsText(tally: StatsTally, summary: InputSummary): string {
  const total = tally.commits;
  const head = ["rule", "commits", "per 1,000", ...SEVERITIES, "findings"];
  const cells = (label: string, c: Counts): string[] => [
    label,
    num(c.commits),
    rate(perThousand(c.commits, total)),
    ...SEVERITIES.map((s) => num(c.bySeverity[s]?.commits ?? 0)),
    num(c.findings),
  ];
  const body: string[][] = [];
  for (const row of tally.rows()) {
    body.push(cells(row.rule, row));
    for (const [kind, counts] of finerKinds(row)) body.push(cells(`  ${kind}`, counts));
  }
  const any = tally.commitsWith(null);
  const noisy = tally.commitsWith(null, ["error", "warning"]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i]!.length)));
  const table = [head, ...body].map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
  const inputs = `${num(summary.inputs)} input${summary.inputs === 1 ? "" : "s"}${summary.unreadable > 0 ? `, ${num(summary.unreadable)} unreadable` : ""}`;
  return [
    `${num(total)} commit${total === 1 ? "" : "s"} checked, each as its own series (${inputs})`,
    "",
    ...table,
    "",
    `Severity columns count commits with a finding at that level.`,
    `${num(any)} commit${any === 1 ? "" : "s"} got a finding (${rate(perThousand(any, total))} per 1,000); ${num(noisy)} a warning or error (${rate(perThousand(noisy, total))} per 1,000).`,
    "",
  ].join("\n");
}

/** Kinds worth a row of their own: only where a rule has kinds finer than itself. */
function finerKinds(row: RuleRow): [string, Counts][] {
  const kinds = [...row.kinds].sort((a, b) => b[1].commits - a[1].commits || a[0].localeCompare(b[0]));
  return kinds.length === 1 && kinds[0]![0] === row.rule ? [] : kinds;
}

interface JsonStats {
  series: { input: string; findings: JsonFinding[] }[];
  rules: Record<string, Counts>;
}

export function formatStatsJson(series: SeriesEntry[], tally: StatsTally): string {
  const out: JsonStats = {
    series: series.map((s) => ({ input: s.input, findings: s.findings.map((f, k) => toJson(f, { codeLine: () => s.codes?.[k] })) })),
    rules: Object.fromEntries(tally.rows().map((r) => [r.rule, { commits: r.commits, findings: r.findings, bySeverity: r.bySeverity }])),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
