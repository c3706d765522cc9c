import { sparkline, type HtmlTable, type LineChart } from "../chart/index.js";
import { censusColumns, type CensusSeries } from "./periods.js";

// `census --at REV...` and `census --by release`: conditionals per
// hypervisor (per PATH when PATHs are given) at each revision, as a table
// with a sparkline per column, JSON, CSV, and the chart svg and html draw.

const where = (s: CensusSeries) =>
  `${s.paths.length > 0 ? ` under ${s.paths.join(", ")}` : ""}, ${s.scope === "all" ? "hypervisors' own directories included" : "outside each hypervisor's own directories"}`;

export function formatCensusSeriesJson(series: CensusSeries): string {
  return `${JSON.stringify(series, null, 2)}\n`;
}

const csvField = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per revision, path ("." for the whole scope) and hypervisor, zeros included. */
export function formatCensusSeriesCsv(series: CensusSeries): string {
  const head = ["revision", "commit", "path", "hypervisor", "conditionals"];
  const rows = series.revisions.flatMap((r) => Object.entries(r.byPath).flatMap(([path, counts]) => r.hypervisors.map((h) => [r.label, r.commit, path, h.id, counts[h.id] ?? 0])));
  return [head, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

export function formatCensusSeriesText(series: CensusSeries): string {
  const cols = censusColumns(series);
  const out = [`Hypervisor conditionals at ${series.revisions.length} revisions${where(series)}.`, ""];
  if (cols.length === 0) return `${out[0]}\nNone at any of them.\n`;
  const rows = [["revision", "commit", ...cols.map((c) => c.label)], ...series.revisions.map((r, i) => [r.label, r.commit.slice(0, 12), ...cols.map((c) => String(c.values[i]))])];
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  out.push(...rows.map((r) => r.map((cell, k) => (k < 2 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  ").trimEnd()));
  out.push("", "Per column, from zero to its largest count:");
  const w = Math.max(...cols.map((c) => c.label.length));
  for (const c of cols) out.push(`  ${c.label.padEnd(w)}  ${sparkline(c.values)}  ${c.values[0]} first, ${c.values.at(-1)} last, ${Math.max(...c.values)} at most`);
  return `${out.join("\n")}\n`;
}

export function censusChart(series: CensusSeries, repoName: string, byRelease: boolean): LineChart {
  const cols = censusColumns(series);
  const labels = series.revisions.map((r) => r.label);
  return {
    title: `Hypervisor conditionals in ${repoName}, ${byRelease ? "by release" : "by revision"}`,
    subtitle: [
      `Tests of a hypervisor (#ifdef CONFIG_XEN, xen_domain(), IS_ENABLED(CONFIG_KVM_GUEST) ...) standing in arch, core and driver-core code${where(series)}, counted per line with the detector the hv-special-case rule uses.`,
    ],
    xTitle: byRelease ? "release" : "revision",
    periods: labels,
    legendTitle: series.paths.length > 0 ? "path and hypervisor" : "hypervisor",
    series: cols.map((c) => c.label),
    panels: [
      {
        title: "Conditionals per hypervisor",
        yTitle: "conditionals",
        kind: "count",
        height: 300,
        points: cols.flatMap((c) => c.values.map((v, i) => ({ x: labels[i]!, series: c.label, y: v }))),
      },
    ],
  };
}

export function censusTables(series: CensusSeries): HtmlTable[] {
  const cols = censusColumns(series);
  return [
    {
      caption: "Conditionals per revision",
      head: ["revision", "commit", ...cols.map((c) => c.label)],
      rows: series.revisions.map((r, i) => [r.label, r.commit.slice(0, 12), ...cols.map((c) => String(c.values[i]))]),
    },
  ];
}
