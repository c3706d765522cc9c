import type { SprawlReport } from "./sprawl.js";

const TREEWIDE_SHOWN = 10;

export function formatSprawlJson(report: SprawlReport, since: string | undefined): string {
  return `${JSON.stringify({ since: since ?? null, ...report }, null, 2)}\n`;
}

/** One column per PATH, so the paths read side by side. */
export function formatSprawlText(report: SprawlReport, since: string | undefined): string {
  const cols = report.columns;
  const top = Math.max(0, ...cols.map((c) => c.topOutside.length));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows: [string, ...string[]][] = [
    ["", ...cols.map((c) => c.path)],
    ["commits", ...cols.map((c) => String(c.commits))],
    ["  reaching outside", ...cols.map((c) => String(c.commitsReachingOutside))],
    ["files inside", ...cols.map((c) => String(c.filesInside))],
    ["files outside", ...cols.map((c) => String(c.filesOutside))],
    ["share outside", ...cols.map((c) => pct(c.share))],
  ];
  for (let i = 0; i < top; i++) {
    rows.push([`top outside ${i + 1}`, ...cols.map((c) => {
      const d = c.topOutside[i];
      return d ? `${d.dir} ${d.files}` : "";
    })]);
  }
  rows.push(["treewide commits", ...cols.map((c) => String(c.treewide.commits))]);
  rows.push(["  their files", ...cols.map((c) => String(c.treewide.files))]);

  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  const table = rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[k]!))).join("   ").trimEnd());

  const rule = `more than ${report.treewideFiles} files or ${report.treewideDirs} top-level directories`;
  const out = [
    `${report.commitsRead} non-merge commits touch ${cols.length === 1 ? "this path" : "these paths"}${since === undefined ? "" : ` since ${since}`}; treewide commits (${rule}) are counted apart.`,
    `Outside directories at ${report.depth} path components ("." is the top of the tree: MAINTAINERS, Makefile).`,
    "",
    ...table,
  ];
  if (report.treewide.length > 0) {
    out.push("", "Treewide commits, left out of the figures above (largest first):");
    const shown = report.treewide.slice(0, TREEWIDE_SHOWN);
    const w = String(shown[0]!.files).length;
    for (const t of shown) out.push(`  ${t.hash.slice(0, 12)}  ${String(t.files).padStart(w)} files  ${t.subject}`);
    if (report.treewide.length > shown.length) out.push(`  ... and ${report.treewide.length - shown.length} more (--format json lists all)`);
  }
  return `${out.join("\n")}\n`;
}
