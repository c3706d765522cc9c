import type { SprawlReport } from "./sprawl.js";

const TREEWIDE_SHOWN = 10;

export interface Window {
  since?: string | undefined;
  until?: string | undefined;
}

export function formatSprawlJson(report: SprawlReport, window: Window): string {
  return `${JSON.stringify({ since: window.since ?? null, until: window.until ?? null, ...report }, null, 2)}\n`;
}

function windowText(w: Window): string {
  return `${w.since === undefined ? "" : ` since ${w.since}`}${w.until === undefined ? "" : ` until ${w.until}`}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per PATH, for spreadsheets; the outside directories as "dir:files" joined by spaces. */
export function formatSprawlCsv(report: SprawlReport): string {
  const head = ["path", "commits", "commits_reaching_outside", "files_inside", "files_outside", "share_outside", "treewide_commits", "treewide_files", "top_outside"];
  const rows = report.columns.map((c) => [
    c.path,
    c.commits,
    c.commitsReachingOutside,
    c.filesInside,
    c.filesOutside,
    c.share,
    c.treewide.commits,
    c.treewide.files,
    c.topOutside.map((d) => `${d.dir}:${d.files}`).join(" "),
  ]);
  return [head, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** One column per PATH, so a few paths read side by side; one row per PATH when there are many. */
export function formatSprawlText(report: SprawlReport, window: Window, layout: "columns" | "rows" = "columns"): string {
  const since = windowText(window);
  const cols = report.columns;
  const top = Math.max(0, ...cols.map((c) => c.topOutside.length));
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

  const table = layout === "rows" ? rowTable(report) : alignedTable(rows);

  const rule = `more than ${report.treewideFiles} files or ${report.treewideDirs} top-level directories`;
  const out = [
    `${report.commitsRead} non-merge commits touch ${cols.length === 1 ? "this path" : "these paths"}${since}; treewide commits (${rule}) are counted apart.`,
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

function alignedTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  return rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[k]!))).join("   ").trimEnd());
}

/** Shown per path in the row layout: more would wrap the line the layout exists to keep short. */
const TOP_IN_ROW = 3;

/** The row layout: the same figures, one line per PATH, the top outside directories last. */
function rowTable(report: SprawlReport): string[] {
  const head = ["path", "commits", "outside", "files in", "files out", "share", "treewide", "top outside"];
  const rows = report.columns.map((c) => [
    c.path,
    String(c.commits),
    String(c.commitsReachingOutside),
    String(c.filesInside),
    String(c.filesOutside),
    pct(c.share),
    String(c.treewide.commits),
    c.topOutside
      .slice(0, TOP_IN_ROW)
      .map((d) => `${d.dir} ${d.files}`)
      .join(", "),
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, k) => Math.max(...all.map((r) => r[k]!.length)));
  // The last column is left-aligned and unpadded: it is the only one of varying length.
  return all.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[0]!) : k === r.length - 1 ? cell : cell.padStart(widths[k]!))).join("  ").trimEnd());
}
