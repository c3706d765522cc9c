import { sparkline, type HtmlTable, type LineChart } from "../chart/index.js";
import type { Window } from "./format.js";
import { rollingShare, rollingWindow, shareSeries, type SprawlSeries } from "./sprawl-periods.js";

// `sprawl --by`: the figures per period as a table with a sparkline per
// path (text), JSON, CSV, and the chart the svg and html formats draw.

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const BY_WORD = { year: "year", quarter: "quarter", release: "release" } as const;

function span(series: SprawlSeries): string {
  const p = series.periods;
  return p.length === 0 ? "" : p.length === 1 ? ` (${p[0]!.period.label})` : ` (${p[0]!.period.label} to ${p.at(-1)!.period.label})`;
}

function windowText(w: Window): string {
  return `${w.since === undefined ? "" : ` since ${w.since}`}${w.until === undefined ? "" : ` until ${w.until}`}`;
}

export function formatSprawlSeriesJson(series: SprawlSeries, window: Window): string {
  return `${JSON.stringify({ since: window.since ?? null, until: window.until ?? null, ...series }, null, 2)}\n`;
}

const csvField = (v: string | number | null): string => {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per period and path; share_outside is empty where the path's commits touched no file. */
export function formatSprawlSeriesCsv(series: SprawlSeries): string {
  const head = ["period", "tag", "path", "commits", "commits_reaching_outside", "files_inside", "files_outside", "share_outside", "treewide_commits", "treewide_files"];
  const rows = series.periods.flatMap((p) =>
    p.columns.map((c) => [p.period.label, p.period.tag ?? "", c.path, c.commits, c.commitsReachingOutside, c.filesInside, c.filesOutside, c.filesInside + c.filesOutside === 0 ? null : c.share, c.treewide.commits, c.treewide.files]),
  );
  return [head, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * Per period and path: commits, share outside, treewide commits; then a
 * sparkline per path of the share (on 0-100%, so the paths compare).
 */
export function formatSprawlSeriesText(series: SprawlSeries, window: Window, treewideRule: { files: number; dirs: number }): string {
  const cols = series.total.columns;
  const out = [
    `Sprawl by ${BY_WORD[series.by]}${span(series)}${windowText(window)}: of the files the commits touching each path change, the share outside it. Treewide commits (more than ${treewideRule.files} files or ${treewideRule.dirs} top-level directories) are counted apart.`,
    "",
  ];
  if (series.periods.length === 0) return `${out[0]}\nNo commit touches ${cols.length === 1 ? "this path" : "these paths"}.\n`;
  const groups = cols.map((c) => c.path);
  const sub = ["commits", "outside", "treewide"];
  const rows: string[][] = [
    ["", ...groups.flatMap((g) => ["", "", g])],
    [BY_WORD[series.by], ...groups.flatMap(() => sub)],
    ...series.periods.map((p) => [
      p.period.label,
      ...p.columns.flatMap((c) => [String(c.commits), c.filesInside + c.filesOutside === 0 ? "-" : pct(c.share), c.treewide.commits === 0 ? "" : String(c.treewide.commits)]),
    ]),
    ["all", ...cols.flatMap((c) => [String(c.commits), c.filesInside + c.filesOutside === 0 ? "-" : pct(c.share), String(c.treewide.commits)])],
  ];
  // The path names sit over their group, right-aligned with its last column; a long name widens that column.
  const widths = rows[1]!.map((_, k) => Math.max(...rows.slice(1).map((r) => r[k]!.length)));
  groups.forEach((g, i) => {
    const last = 1 + i * 3 + 2;
    const room = widths[last - 2]! + widths[last - 1]! + widths[last]! + 4;
    if (g.length > room) widths[last] = widths[last]! + g.length - room;
  });
  const line = (r: string[]) =>
    r
      .map((cell, k) => (k === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[k]!)))
      .join("  ")
      .trimEnd();
  out.push(groupHeader(groups, widths), ...rows.slice(1).map(line));
  out.push("", `Share outside per ${BY_WORD[series.by]}, 0 to 100% (· no commits):`);
  const w = Math.max(...groups.map((g) => g.length));
  groups.forEach((g, i) => {
    const shares = shareSeries(series, i);
    const known = shares.filter((s): s is number => s !== null);
    const trend = known.length >= 2 ? `  ${pct(known[0]!)} first, ${pct(known.at(-1)!)} last` : "";
    out.push(`  ${g.padEnd(w)}  ${sparkline(shares, { min: 0, max: 1 })}${trend}`);
  });
  return `${out.join("\n")}\n`;
}

/** The first header line: each path's name right-aligned over its three columns. */
function groupHeader(groups: string[], widths: number[]): string {
  let s = " ".repeat(widths[0]!);
  groups.forEach((g, i) => {
    const k = 1 + i * 3;
    const room = widths[k]! + widths[k + 1]! + widths[k + 2]! + 4;
    s += `  ${g.padStart(room)}`;
  });
  return s.trimEnd();
}

/** The chart: the share outside per path (top), and the treewide commits counted apart (below). */
export function sprawlChart(series: SprawlSeries, repoName: string, dates: Window, treewideRule: { files: number; dirs: number }): LineChart {
  const periods = series.periods.map((p) => p.period.label);
  const paths = series.total.columns.map((c) => c.path);
  const overall = series.total.columns.map((c) => `${c.path} ${pct(c.share)} over ${c.commits} commits`).join(", ");
  const window = rollingWindow(series.by);
  const how =
    window === 1
      ? `Lines join the ${BY_WORD[series.by]}s; a point's size is the ${BY_WORD[series.by]}'s commits; no point: no commit touched the path then.`
      : `Lines: the last ${window} ${BY_WORD[series.by]}s together (their files outside over their files touched), so busy ${BY_WORD[series.by]}s weigh more. Points: each ${BY_WORD[series.by]} alone, sized by its commits; no point: no commit touched the path.`;
  return {
    title: `Sprawl in ${repoName}: the share of files outside each path, by ${BY_WORD[series.by]}`,
    subtitle: [
      `Of the files changed by the commits that touch the path, the share that lies outside it${windowText(dates)}. Treewide commits (over ${treewideRule.files} files or ${treewideRule.dirs} top-level directories) are left out and shown below.`,
      how,
      `All ${BY_WORD[series.by]}s together: ${overall}.`,
    ],
    xTitle: series.by === "release" ? "release (a commit counts in the first release that contains it)" : `${BY_WORD[series.by]} (committer date, UTC)`,
    periods,
    legendTitle: "path",
    series: paths,
    panels: [
      {
        title: window === 1 ? "Share of the touched files outside the path (treewide commits left out)" : `Share of the touched files outside the path (treewide commits left out); lines: the last ${window} ${BY_WORD[series.by]}s together`,
        yTitle: "files outside the path",
        kind: "share",
        height: 300,
        weightTitle: `commits in the ${BY_WORD[series.by]}`,
        line: paths.flatMap((path, k) => rollingShare(series, k, window).map((y, i) => ({ x: periods[i]!, series: path, y }))),
        points: series.periods.flatMap((p) => p.columns.map((c) => ({ x: p.period.label, series: c.path, y: c.filesInside + c.filesOutside === 0 ? null : c.share, weight: c.commits }))),
      },
      {
        title: "Treewide commits touching the path (counted apart)",
        yTitle: "treewide commits",
        kind: "count",
        height: 110,
        pointsOnly: true,
        points: series.periods.flatMap((p) => p.columns.map((c) => ({ x: p.period.label, series: c.path, y: c.treewide.commits === 0 ? null : c.treewide.commits }))),
      },
    ],
  };
}

/** The html page's tables: per period, each path's commits, share and treewide commits. */
export function sprawlTables(series: SprawlSeries): HtmlTable[] {
  const paths = series.total.columns.map((c) => c.path);
  return [
    {
      caption: `Per ${BY_WORD[series.by]}: commits touching each path, the share of their files outside it, treewide commits`,
      head: [BY_WORD[series.by], ...paths.flatMap((p) => [`${p} commits`, `${p} outside`, `${p} treewide`])],
      rows: series.periods.map((p) => [p.period.label, ...p.columns.flatMap((c) => [String(c.commits), c.filesInside + c.filesOutside === 0 ? "-" : pct(c.share), String(c.treewide.commits)])]),
    },
  ];
}
